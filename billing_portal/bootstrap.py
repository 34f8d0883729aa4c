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

from billing_portal.database import is_postgres_url
from billing_portal.settings import Settings
from services.access import Access, WallClock, utc_now
from services.access_groups import AccessGroups
from services.auth import TokenVerifier
from services.catalog import Catalog
from services.checkout import CheckoutSessions
from services.checkout_confirmation import CheckoutConfirmations
from services.claims import AdminClaim
from services.container import Services
from services.customers import StripeCustomers
from services.live_billing import LiveBilling
from services.metrics import NO_METRICS, Metrics, PrometheusMetrics
from services.mirror.ownership import OwnershipPolicy
from services.mirror.sync import MirrorSync
from services.notifications import BillingChanges
from services.notifications.postgres import PostgresBillingChanges
from services.portal_blocks import PortalBlocks
from services.portal_configuration import PortalConfigurations
from services.portal_sessions import PortalSessions
from services.rate_limit import SessionLimiter, SlidingWindowLimiter
from services.shared_rate_limit import SharedWindowLimiter
from services.signing_keys import SigningKeys
from services.stripe_gateway import StripeGateway
from services.urls import RedirectPolicy
from services.users import BillingUsers
from services.webhooks import WebhookService
from services.webhooks import log as event_log

Gateway = TypeVar("Gateway", bound=StripeGateway)
Clock = Callable[[], float]


@overload
def stripe_gateway_for(settings: Settings, *, metrics: Metrics = NO_METRICS) -> StripeGateway: ...
@overload
def stripe_gateway_for(
    settings: Settings, kind: type[Gateway], *, metrics: Metrics = NO_METRICS
) -> Gateway: ...
def stripe_gateway_for(
    settings: Settings, kind: type[StripeGateway] = StripeGateway, *, metrics: Metrics = NO_METRICS
) -> StripeGateway:
    """The gateway the settings describe; `kind` is a StripeGateway subclass (a test's recorder),
    `metrics` what counts and times its requests."""
    return kind(
        api_key=settings.api_key,
        api_base=settings.api_base,
        max_network_retries=settings.stripe_max_network_retries,
        timeout_seconds=settings.stripe_timeout_seconds,
        deadline_seconds=settings.stripe_deadline_seconds,
        max_connections=settings.stripe_max_connections,
        metrics=metrics,
    )


def metrics_for(settings: Settings) -> Metrics:
    """Prometheus metrics of this app's own, or none when the settings turn them off."""
    if not settings.serves_metrics:
        return NO_METRICS
    return PrometheusMetrics(event_log.summary)


def token_verifier(settings: Settings, *, clock: Clock = time.monotonic) -> TokenVerifier:
    """`clock` (monotonic seconds) paces the refreshes of the provider's published keys."""
    jwks_url = settings.auth_jwks_url
    return TokenVerifier(
        secret=settings.auth_jwt_secret,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
        public_keys=SigningKeys(jwks_url, clock=clock) if jwks_url is not None else None,
        algorithms=frozenset(settings.jwt_algorithms),
        email_claim=settings.auth_email_claim,
        admin_claim=AdminClaim.parse(settings.auth_admin_claim),
    )


def ownership_policy(settings: Settings) -> OwnershipPolicy:
    return OwnershipPolicy(
        past_due_grace=timedelta(days=settings.past_due_grace_days),
        refund_ends_purchase=settings.refund_ends_purchase,
    )


def session_limiter(settings: Settings, *, clock: Clock, now: WallClock) -> SessionLimiter:
    """Counted in the database that every instance shares on PostgreSQL (by the time of day,
    `now`); within the process on SQLite (one instance), by the monotonic `clock`."""
    limit = settings.rate_limit_sessions_per_minute
    if is_postgres_url(settings.database_url):
        return SharedWindowLimiter(limit, clock=lambda: now().timestamp())
    return SlidingWindowLimiter(limit, clock=clock)


def billing_changes(settings: Settings) -> BillingChanges:
    """Across instances through PostgreSQL; on SQLite (one instance) within the process."""
    if is_postgres_url(settings.database_url):
        return PostgresBillingChanges(settings.database_url)
    return BillingChanges()


def bootstrap(
    settings: Settings,
    *,
    stripe: StripeGateway | None = None,
    clock: Clock | None = None,
    now: WallClock = utc_now,
    metrics: Metrics | None = None,
) -> Services:
    """Every service, built once. `stripe` replaces the settings' gateway; `clock` (monotonic
    seconds) drives the plan cache, the account cache, the session rate limit on SQLite and the
    signing keys' refreshes; `now` (the time of day) decides whether a past-due subscription is
    still within its grace, and drives the session rate limit instances share on PostgreSQL.
    `metrics` replaces the settings' metrics; a gateway passed in records into the metrics it
    was built with."""
    recorder = metrics if metrics is not None else metrics_for(settings)
    gateway = stripe if stripe is not None else stripe_gateway_for(settings, metrics=recorder)
    monotonic = clock if clock is not None else time.monotonic
    redirects = RedirectPolicy.of(settings.allowed_redirect_hosts, is_prod=settings.is_prod)
    # Checkout and portal sessions, and confirmations of Checkout, share one budget: "sessions
    # per user", whichever kind the user keeps asking for.
    limiter = session_limiter(settings, clock=monotonic, now=now)
    changes = billing_changes(settings)
    users = BillingUsers(clock=monotonic)
    sync = MirrorSync(gateway, changes)
    catalog = Catalog(sync, clock=monotonic)
    blocks = PortalBlocks(redirects)
    configurations = PortalConfigurations(stripe=gateway, catalog=catalog, redirects=redirects)
    access = Access(ownership_policy(settings), now=now)
    return Services(
        stripe=gateway,
        tokens=token_verifier(settings, clock=monotonic),
        users=users,
        catalog=catalog,
        checkout=CheckoutSessions(
            stripe=gateway,
            catalog=catalog,
            customers=StripeCustomers(gateway),
            redirects=redirects,
            limiter=limiter,
        ),
        confirmations=CheckoutConfirmations(stripe=gateway, limiter=limiter, changes=changes),
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
            changes=changes,
            metrics=recorder,
            observe_batch=recorder.webhook_batch,
        ),
        sync=sync,
        access=access,
        access_groups=AccessGroups(catalog=catalog, access=access),
        changes=changes,
        live=LiveBilling(
            changes,
            users,
            connections_per_user=settings.live_connections_per_user,
            metrics=recorder,
        ),
        metrics=recorder,
    )
