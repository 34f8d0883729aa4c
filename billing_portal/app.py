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

from billing_portal.database import close_database, open_database
from billing_portal.middleware import BodyLimitMiddleware, RequestLogMiddleware
from billing_portal.settings import Settings
from billing_portal.webhooks_endpoint import stripe_webhook
from resolvers.context import Context
from schema.root import build_schema
from services.container import Services
from services.health import check_readiness

MAX_BODY_BYTES = 1024 * 1024


class BillingGraphQL(GraphQL[Context, None]):
    def __init__(self, services: Services) -> None:
        settings = services.settings
        super().__init__(
            build_schema(introspection=not settings.is_prod),
            graphql_ide=None if settings.is_prod else "graphiql",
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


def create_app(settings: Settings, *, manage_database: bool = True) -> Starlette:
    """Build the app. Tests that own the database pass `manage_database=False`."""
    services = Services.from_settings(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url)
        try:
            yield
        finally:
            await services.close()
            if manage_database:
                await close_database()

    graphql = BillingGraphQL(services)
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
            Middleware(BodyLimitMiddleware, max_bytes=MAX_BODY_BYTES),
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    return app
