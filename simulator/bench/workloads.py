"""The workloads: what is loaded, how many requests in flight, against which floor, to what goal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from simulator.bench.baseline_app import HELLO_QUERY
from simulator.bench.drivers import (
    Driver,
    HttpDriver,
    StripeSdkDriver,
    WebhookDriver,
    graphql_request,
)
from simulator.bench.goals import Goal
from simulator.bench.seed import (
    CHECKOUT_MUTATION,
    RETURN_URL,
    Catalog,
    Customer,
    checkout_input,
)

PORTAL_MUTATION = (
    "mutation($input: PortalSessionInput!) { createPortalSession(input: $input) { id url } }"
)
SUBSCRIPTIONS_QUERY = (
    "query { viewer { subscriptions { id status priceId productId planName quantity "
    "currentPeriodEnd cancelAtPeriodEnd canceledAt trialEnd } } }"
)
WEBHOOK_EVENT_TYPE = "customer.subscription.updated"
WEBHOOK_EVENT_PREFIX = "evt_bench_updated_"
DEFAULT_CONCURRENCY = 16
WEBHOOK_CONCURRENCY = 64
# Enough requests in flight that, at Stripe's latency, only what the service keeps waiting
# (pools, event-loop work) separates it from the bare SDK.
STRIPE_LATENCY_CONCURRENCY = 256


@dataclass(frozen=True, slots=True)
class Targets:
    """Where everything listens, and what the seeding left in place for the loads."""

    service_url: str
    baseline_url: str
    stripe_mock_url: str
    api_key: str
    webhook_secret: str
    catalog: Catalog
    customers: tuple[Customer, ...]
    subscriptions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    description: str
    baseline_description: str
    goal: Goal
    service: Callable[[Targets], Driver]
    baseline: Callable[[Targets], Driver]
    floor_is_a_server: bool = False
    """The floor runs on the bench's baseline server (else: it is an SDK call to stripe-mock)."""
    counts_events: bool = False
    concurrency: int = DEFAULT_CONCURRENCY
    """Requests in flight, unless the run's `--concurrency` says otherwise."""
    reference: Callable[[Targets], Driver] | None = None
    """A further floor on the baseline server, reported for reference and never judged."""
    reference_description: str | None = None
    stripe_latency: bool = False
    """Both sides talk to Stripe through the run's delay (`--stripe-latency-ms`)."""


def _graphql_per_customer(
    targets: Targets, query: str, variables: dict[str, Any] | None
) -> HttpDriver:
    requests = tuple(
        graphql_request(query, variables, customer.token) for customer in targets.customers
    )
    return HttpDriver(url=f"{targets.service_url}/graphql", requests=requests)


def _sdk(targets: Targets, operation: Literal["portal", "checkout"]) -> StripeSdkDriver:
    return StripeSdkDriver(
        api_base=targets.stripe_mock_url,
        api_key=targets.api_key,
        operation=operation,
        customers=tuple(customer.customer_id for customer in targets.customers),
        price_id=targets.catalog.price_id,
        return_url=RETURN_URL,
    )


def _portal_sessions(targets: Targets) -> HttpDriver:
    return _graphql_per_customer(targets, PORTAL_MUTATION, {"input": {"returnUrl": RETURN_URL}})


def _checkout_sessions(targets: Targets) -> HttpDriver:
    return _graphql_per_customer(
        targets, CHECKOUT_MUTATION, {"input": checkout_input(targets.catalog)}
    )


def _webhooks(url: str, prefix: str, targets: Targets) -> WebhookDriver:
    return WebhookDriver(
        url=url,
        secret=targets.webhook_secret,
        event_type=WEBHOOK_EVENT_TYPE,
        event_prefix=prefix,
        objects=targets.subscriptions,
    )


WORKLOADS: dict[str, Workload] = {
    workload.name: workload
    for workload in (
        Workload(
            name="portal",
            description="createPortalSession over GraphQL",
            baseline_description="bare SDK billing_portal.sessions.create",
            goal=Goal(ratio=0.75),
            service=_portal_sessions,
            baseline=lambda t: _sdk(t, "portal"),
        ),
        Workload(
            name="checkout",
            description="createCheckoutSession, customer exists",
            baseline_description="bare SDK checkout.sessions.create",
            goal=Goal(ratio=0.75),
            service=_checkout_sessions,
            baseline=lambda t: _sdk(t, "checkout"),
        ),
        Workload(
            name="portal_latency",
            description="createPortalSession over GraphQL, Stripe answering late",
            baseline_description="bare SDK billing_portal.sessions.create, as late",
            goal=Goal(ratio=0.9, max_p99_over_floor=1.2),
            service=_portal_sessions,
            baseline=lambda t: _sdk(t, "portal"),
            concurrency=STRIPE_LATENCY_CONCURRENCY,
            stripe_latency=True,
        ),
        Workload(
            name="checkout_latency",
            description="createCheckoutSession, customer exists, Stripe answering late",
            baseline_description="bare SDK checkout.sessions.create, as late",
            goal=Goal(ratio=0.9, max_p99_over_floor=1.2),
            service=_checkout_sessions,
            baseline=lambda t: _sdk(t, "checkout"),
            concurrency=STRIPE_LATENCY_CONCURRENCY,
            stripe_latency=True,
        ),
        Workload(
            name="subscriptions",
            description="viewer.subscriptions (3 in the mirror)",
            baseline_description="Strawberry hello-world, same stack",
            goal=Goal(ratio=0.6),
            service=lambda t: _graphql_per_customer(t, SUBSCRIPTIONS_QUERY, None),
            baseline=lambda t: HttpDriver(
                url=f"{t.baseline_url}/graphql", requests=(graphql_request(HELLO_QUERY),)
            ),
            floor_is_a_server=True,
        ),
        Workload(
            name="webhooks",
            description=f"signed {WEBHOOK_EVENT_TYPE} ingest",
            baseline_description=(
                "bare Starlette endpoint verifying the signature and inserting the raw event, "
                "one transaction each, same database"
            ),
            goal=Goal(ratio=1.0, min_throughput=2000, max_p99_ms=100, lossless=True),
            service=lambda t: _webhooks(
                f"{t.service_url}/webhooks/stripe", WEBHOOK_EVENT_PREFIX, t
            ),
            baseline=lambda t: _webhooks(f"{t.baseline_url}/webhook", "evt_floor_", t),
            floor_is_a_server=True,
            counts_events=True,
            concurrency=WEBHOOK_CONCURRENCY,
            reference=lambda t: _webhooks(f"{t.baseline_url}/echo", "evt_echo_", t),
            reference_description="bare Starlette endpoint reading the body",
        ),
    )
}
