"""The composition root: the one place that turns settings into the services of a running app.

The app, `asgi.py`, every CLI command and the test fixtures build their services here, so each
service is wired once and receives plain values (or the Stripe gateway), never the settings.
Tests and tools that need another Stripe (one that records, or one that fails) pass their own
gateway instead of patching the SDK.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar, overload

from billing_portal.settings import Settings
from services.access import Access, WallClock, utc_now
from services.access_groups import AccessGroups
from services.auth import TokenVerifier
from services.catalog import Catalog
from services.checkout import CheckoutSessions
from services.container import Services
from services.customers import StripeCustomers
from services.mirror.ownership import OwnershipPolicy
from services.mirror.sync import MirrorSync
from services.portal_blocks import PortalBlocks
from services.portal_configuration import PortalConfigurations
from services.portal_sessions import PortalSessions
from services.rate_limit import SlidingWindowLimiter
from services.stripe_gateway import StripeGateway
from services.urls import RedirectPolicy
from services.users import BillingUsers
from services.webhooks import WebhookService

Gateway = TypeVar("Gateway", bound=StripeGateway)
Clock = Callable[[], float]


@overload
def stripe_gateway_for(settings: Settings) -> StripeGateway: ...
@overload
def stripe_gateway_for(settings: Settings, kind: type[Gateway]) -> Gateway: ...
def stripe_gateway_for(
    settings: Settings, kind: type[StripeGateway] = StripeGateway
) -> StripeGateway:
    """The gateway the settings describe; `kind` is a StripeGateway subclass (a test's recorder)."""
    return kind(
        api_key=settings.api_key,
        api_base=settings.api_base,
        max_network_retries=settings.stripe_max_network_retries,
        timeout_seconds=settings.stripe_timeout_seconds,
        deadline_seconds=settings.stripe_deadline_seconds,
    )


def token_verifier(settings: Settings) -> TokenVerifier:
    return TokenVerifier(
        secret=settings.jwt_secret,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
    )


def ownership_policy(settings: Settings) -> OwnershipPolicy:
    return OwnershipPolicy(
        past_due_grace=timedelta(days=settings.past_due_grace_days),
        refund_ends_purchase=settings.refund_ends_purchase,
    )


def bootstrap(
    settings: Settings,
    *,
    stripe: StripeGateway | None = None,
    clock: Clock | None = None,
    now: WallClock = utc_now,
) -> Services:
    """Every service, built once. `stripe` replaces the settings' gateway; `clock` (monotonic
    seconds) drives the plan cache and the session rate limit; `now` (the time of day) decides
    whether a past-due subscription is still within its grace."""
    gateway = stripe if stripe is not None else stripe_gateway_for(settings)
    monotonic = clock if clock is not None else time.monotonic
    redirects = RedirectPolicy.of(settings.allowed_redirect_hosts, is_prod=settings.is_prod)
    # Checkout and portal sessions share one budget: "sessions per user", whichever kind the
    # user keeps asking for.
    limiter = SlidingWindowLimiter(settings.rate_limit_sessions_per_minute, clock=monotonic)
    sync = MirrorSync(gateway)
    catalog = Catalog(sync, clock=monotonic)
    blocks = PortalBlocks(redirects)
    configurations = PortalConfigurations(stripe=gateway, catalog=catalog, redirects=redirects)
    access = Access(ownership_policy(settings), now=now)
    return Services(
        stripe=gateway,
        tokens=token_verifier(settings),
        users=BillingUsers(),
        catalog=catalog,
        checkout=CheckoutSessions(
            stripe=gateway,
            catalog=catalog,
            customers=StripeCustomers(gateway),
            redirects=redirects,
            limiter=limiter,
        ),
        portal=PortalSessions(
            stripe=gateway,
            blocks=blocks,
            configurations=configurations,
            redirects=redirects,
            limiter=limiter,
        ),
        blocks=blocks,
        configurations=configurations,
        webhooks=WebhookService(
            secret=settings.webhook_secret,
            stripe=gateway,
            refetch_objects=settings.webhook_refetch_objects,
            batch_max_events=settings.webhook_batch_max_events,
            batch_max_wait_seconds=settings.webhook_batch_max_wait_ms / 1000,
        ),
        sync=sync,
        access=access,
        access_groups=AccessGroups(catalog=catalog, access=access),
    )
