"""The service hosted in this process: the one simulator module that imports `billing_portal`.

In-process, the service is the real app under a real uvicorn server on a loopback port, so the
simulator still reaches it only over HTTP, exactly as it reaches a service already running
elsewhere (a `Target` given by URL and secrets). Its time of day is the moment of the journey
that asks (simulator.simulated_time), so its past-due grace runs on the journeys' clocks.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap
from billing_portal.database import migrate
from billing_portal.settings import load_settings
from simulator.simulated_time import following_simulated_time, simulated_now
from simulator.toolkit.loopback import serving


@dataclass(frozen=True, slots=True)
class Target:
    """A service to drive, with the secrets it shares with Stripe and the host app."""

    base_url: str
    webhook_secret: str
    jwt_secret: str
    jwt_audience: str | None = None
    jwt_issuer: str | None = None


@asynccontextmanager
async def in_process_service(
    stripe_mock_url: str,
    database_url: str | None,
    *,
    manage_database: bool = True,
    past_due_grace_days: int = 0,
) -> AsyncIterator[Target]:
    """Serve the app on a free loopback port, counting a past-due subscription for
    `past_due_grace_days` (its PAST_DUE_GRACE_DAYS).

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
            past_due_grace_days=past_due_grace_days,
        )
        services = bootstrap(settings, now=simulated_now)
        app = create_app(settings, services=services, manage_database=manage_database)
        served = following_simulated_time(app)
        base_url = await stack.enter_async_context(serving(served, "the service"))
        yield Target(
            base_url=base_url,
            webhook_secret=settings.webhook_secret,
            jwt_secret=settings.jwt_secret,
            jwt_audience=settings.auth_jwt_audience,
            jwt_issuer=settings.auth_jwt_issuer,
        )
