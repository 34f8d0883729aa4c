"""The service hosted in this process: the one simulator module that imports `billing_portal`.

In-process, the service is the real app under a real uvicorn server on a loopback port, so the
simulator still reaches it only over HTTP, exactly as it reaches a service already running
elsewhere (a `Target` given by URL and secrets).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from billing_portal.app import create_app
from billing_portal.database import migrate
from billing_portal.settings import load_settings
from simulator.toolkit.servers import free_port


@dataclass(frozen=True, slots=True)
class Target:
    """A service to drive, with the secrets it shares with Stripe and the host app."""

    base_url: str
    webhook_secret: str
    jwt_secret: str
    jwt_audience: str | None = None
    jwt_issuer: str | None = None


class ServiceDidNotStart(RuntimeError):
    """The in-process service exited during start-up."""


@asynccontextmanager
async def in_process_service(
    stripe_mock_url: str, database_url: str | None, *, manage_database: bool = True
) -> AsyncIterator[Target]:
    """Serve the app on a free loopback port.

    Without `database_url` it gets a migrated temporary SQLite file. A caller that already opened
    the database in this process (a test session) passes its URL with `manage_database=False`.
    """
    async with AsyncExitStack() as stack:
        if database_url is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="simulate-")))
            database_url = f"sqlite://{folder / 'billing.db'}"
            await migrate(database_url)
        settings = load_settings(
            billing_env="test",
            database_url=database_url,
            stripe_api_base=stripe_mock_url,
            rate_limit_sessions_per_minute=0,
        )
        app = create_app(settings, manage_database=manage_database)
        port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_config=None, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            if serving.done():
                raise ServiceDidNotStart("the service stopped during start-up (see its log)")
            await asyncio.sleep(0.02)
        try:
            yield Target(
                base_url=f"http://127.0.0.1:{port}",
                webhook_secret=settings.webhook_secret,
                jwt_secret=settings.jwt_secret,
                jwt_audience=settings.auth_jwt_audience,
                jwt_issuer=settings.auth_jwt_issuer,
            )
        finally:
            server.should_exit = True
            await serving
