"""The ASGI application: routes, middleware and the life cycle of the database and services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from billing_portal.bootstrap import bootstrap
from billing_portal.database import close_database, open_database
from billing_portal.middleware import RequestLogMiddleware
from billing_portal.settings import Settings
from billing_portal.webhooks_endpoint import stripe_webhook
from resolvers.context import Context
from schema.root import build_schema
from services.container import Services
from services.health import check_readiness

MAX_BODY_BYTES = 1024 * 1024


class BillingGraphQL(GraphQL[Context, None]):
    def __init__(self, services: Services, *, is_prod: bool) -> None:
        super().__init__(
            build_schema(introspection=not is_prod),
            graphql_ide=None if is_prod else "graphiql",
            allow_queries_via_get=False,
        )
        self.services = services

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(request=request, response=response, services=self.services)


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    services: Services = request.app.state.services
    readiness = await check_readiness(services.stripe)
    if readiness.ready:
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "reasons": readiness.problems}, status_code=503)


def create_app(
    settings: Settings, *, services: Services | None = None, manage_database: bool = True
) -> Starlette:
    """Build the app on `services` (by default bootstrapped from `settings`), which it closes
    when it stops. Tests that own the database pass `manage_database=False`."""
    running = services if services is not None else bootstrap(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url)
        try:
            yield
        finally:
            await running.close()
            if manage_database:
                await close_database()

    graphql = BillingGraphQL(running, is_prod=settings.is_prod)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/webhooks/stripe", stripe_webhook, methods=["POST"]),
        ],
        middleware=[
            Middleware(RequestLogMiddleware),
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_allow_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["authorization", "content-type", "x-request-id"],
                expose_headers=["x-request-id"],  # so a browser app can quote it in bug reports
            ),
        ],
        # Starlette's own limit: 413 once a body declares or streams more than this.
        max_body_size=MAX_BODY_BYTES,
        lifespan=lifespan,
    )
    app.state.services = running
    return app
