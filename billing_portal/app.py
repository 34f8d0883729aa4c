"""The ASGI application: routes, middleware and the life cycle of the database and services."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from billing_portal.bootstrap import bootstrap
from billing_portal.database import close_database, open_database
from billing_portal.demo.routes import demo_routes
from billing_portal.garbage_collection import settle_after_startup
from billing_portal.graphiql_assets import DEFAULT_ASSETS_DIR
from billing_portal.graphiql_route import graphiql_asset_routes
from billing_portal.graphql_endpoint import BillingGraphQL
from billing_portal.metrics_endpoint import metrics_routes
from billing_portal.middleware import RequestLogMiddleware
from billing_portal.settings import WEBHOOK_PATH, Settings
from billing_portal.webhooks_endpoint import stripe_webhook
from services.container import Services
from services.health import check_readiness

MAX_BODY_BYTES = 1024 * 1024


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    services: Services = request.app.state.services
    readiness = await check_readiness(services.stripe)
    if readiness.ready:
        return JSONResponse({"status": "ready"})
    return JSONResponse({"status": "unavailable", "reasons": readiness.problems}, status_code=503)


def developer_routes(
    settings: Settings, services: Services, graphiql_assets: Path
) -> list[BaseRoute]:
    """What only a service outside prod serves: GraphiQL's assets and the demo app."""
    if settings.is_prod:
        return []
    return [*graphiql_asset_routes(graphiql_assets), *demo_routes(settings, services)]


def create_app(
    settings: Settings,
    *,
    services: Services | None = None,
    manage_database: bool = True,
    graphiql_assets: Path = DEFAULT_ASSETS_DIR,
) -> Starlette:
    """Build the app on `services` (by default bootstrapped from `settings`), which it closes
    when it stops. Tests that own the database pass `manage_database=False`; GraphiQL loads its
    assets from `graphiql_assets` when they are installed there."""
    running = services if services is not None else bootstrap(settings)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await open_database(settings.database_url)
        settle_after_startup()
        try:
            yield
        finally:
            await running.close()
            if manage_database:
                await close_database()

    graphql = BillingGraphQL(
        running,
        is_prod=settings.is_prod,
        max_body_bytes=MAX_BODY_BYTES,
        ping_seconds=settings.live_ping_seconds,
        allowed_origins=settings.cors_allow_origins,
        graphiql_assets=graphiql_assets,
    )
    app = Starlette(
        routes=[
            # Every method reaches the GraphQL view, which answers each refusal in GraphQL.
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),  # subscriptions (graphql-transport-ws)
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            # Starlette's own limit: 413 once a body declares or streams more than this.
            Route(
                WEBHOOK_PATH,
                stripe_webhook,
                methods=["POST"],
                max_body_size=MAX_BODY_BYTES,
            ),
            *metrics_routes(settings, running.metrics),
            *developer_routes(settings, running, graphiql_assets),
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
        lifespan=lifespan,
    )
    app.state.services = running
    return app
