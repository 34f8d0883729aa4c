"""Running the local Stripe: in this process for tests, or as `billing-portal stripe-local`.

async with running_local_stripe(options) as stand:   # stripe-mock started unless given
    stand.url        # the API base the service should use (STRIPE_API_BASE)
    stand.local      # the LocalStripe: lookups, actions, the clock
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.local_stripe import persistence
from simulator.local_stripe.api import LocalApi
from simulator.local_stripe.app import CATCH_UP_SECONDS, create_app
from simulator.local_stripe.local import LocalStripe
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.side import StripeSide
from simulator.stripe_side.webhooks import WebhookEndpoint
from simulator.toolkit.connections import service_client
from simulator.toolkit.loopback import serving
from simulator.toolkit.servers import LOOPBACK
from simulator.toolkit.stripe_mock import stripe_mock_at

# Keeps the demo catalog's ids the same from one run to the next (the service's mirror keeps
# them); everything else the account mints is unique per run.
NAMESPACE = "local"
# Connections to stripe-mock and to the service's webhook endpoint, in flight at once.
HTTP_CONCURRENCY = 8


@dataclass(frozen=True)
class LocalStripeOptions:
    """Where the account sends its webhooks, and how it bills."""

    webhook_url: str
    webhook_secret: str
    stripe_mock_url: str | None = None
    # The webhook endpoint's API version, which events are rendered in (default: the SDK's).
    api_version: str | None = None
    billing_mode: BillingMode = DEFAULT_BILLING_MODE
    catch_up_seconds: float = CATCH_UP_SECONDS
    # Where the account is kept between runs; None keeps it in memory only.
    state_path: Path | None = None


@dataclass(frozen=True)
class LocalStand:
    url: str
    local: LocalStripe


@asynccontextmanager
async def local_stripe_app(
    options: LocalStripeOptions, stripe_mock_url: str
) -> AsyncIterator[tuple[LocalStripe, Starlette]]:
    """The account and its app, in front of the stripe-mock at `stripe_mock_url`."""
    async with service_client(HTTP_CONCURRENCY) as http:
        api = StripeApi(stripe_mock_url)
        endpoint = WebhookEndpoint(
            http, options.webhook_url, options.webhook_secret, api_version=options.api_version
        )
        side = StripeSide(api, endpoint, NAMESPACE, billing_mode=options.billing_mode)
        local = LocalStripe(side)
        if options.state_path is not None:
            saved = await asyncio.to_thread(persistence.read, options.state_path)
            if saved is not None:
                local.restore(saved)
        app = create_app(
            local,
            LocalApi(local, http, stripe_mock_url),
            http=http,
            webhook_url=options.webhook_url,
            catch_up_seconds=options.catch_up_seconds,
            state_path=options.state_path,
        )
        try:
            yield local, app
        finally:
            await api.close()


@asynccontextmanager
async def running_local_stripe(options: LocalStripeOptions) -> AsyncIterator[LocalStand]:
    """The local Stripe served in this process on a free loopback port."""
    async with (
        stripe_mock_at(options.stripe_mock_url) as stripe_mock_url,
        local_stripe_app(options, stripe_mock_url) as (local, app),
        serving(app, "the local Stripe") as url,
    ):
        yield LocalStand(url, local)


def _announce(line: str) -> None:
    print(line, flush=True)


def _exit_on_sigterm(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def serve_local_stripe(
    options: LocalStripeOptions, *, port: int, announce: Callable[[str], None] = _announce
) -> int:
    """Serve on `port` until interrupted (`billing-portal stripe-local`).

    uvicorn re-raises SIGTERM once it has shut down; as an exception it unwinds the contexts
    below, so the stripe-mock this started stops too instead of being orphaned.
    """
    signal.signal(signal.SIGTERM, _exit_on_sigterm)

    async def serve() -> None:
        async with (
            stripe_mock_at(options.stripe_mock_url) as stripe_mock_url,
            local_stripe_app(options, stripe_mock_url) as (_, app),
        ):
            config = uvicorn.Config(app, host=LOOPBACK, port=port, log_config=None)
            announce(
                f"local Stripe on http://{LOOPBACK}:{port} (stripe-mock behind it: "
                f"{stripe_mock_url}); webhooks to {options.webhook_url}"
            )
            await uvicorn.Server(config).serve()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        return 0
    return 0
