"""PAST_DUE_GRACE_DAYS: a past-due subscription still counts (hasActiveSubscription, access
groups) for that many days after its first failed payment, and not a moment longer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap
from services.models import Invoice, Subscription
from tests.access.conftest import linked_user
from tests.access.support import BASIC, PRICES
from tests.support import graphql

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
COUNTS = "query { viewer { hasActiveSubscription accessGroups } }"
IN = {"hasActiveSubscription": True, "accessGroups": ["subscribers"]}
OUT = {"hasActiveSubscription": False, "accessGroups": ["free"]}


@pytest.fixture
async def client_with_grace(settings, stripe_gateway, groups):
    """`async with client_with_grace(days)`: an app whose grace is `days`, at NOW."""
    built = []

    def client_for(days: int) -> httpx.AsyncClient:
        graced = settings.model_copy(update={"past_due_grace_days": days})
        services = bootstrap(graced, stripe=stripe_gateway, now=lambda: NOW)
        built.append(services)
        app = create_app(graced, services=services, manage_database=False)
        return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")

    yield client_for
    for services in built:
        await services.close()


async def _past_due(user: str, *open_invoices_finalized: datetime, status: str = "past_due"):
    customer = f"cus_{user}"
    await linked_user(user, customer)
    subscription = f"sub_{user}"
    await Subscription.create(
        id=subscription,
        customer_id=customer,
        status=status,
        price_id=PRICES[BASIC],
        product_id=BASIC,
    )
    for number, finalized in enumerate(open_invoices_finalized):
        await Invoice.create(
            id=f"in_{user}_{number}",
            customer_id=customer,
            subscription_id=subscription,
            status="open",
            currency="usd",
            created=finalized - timedelta(hours=1),
            finalized_at=finalized,
        )


async def _viewer(client_with_grace, days: int, token: str):
    async with client_with_grace(days) as client:
        return (await graphql(client, COUNTS, token=token))["data"]["viewer"]


async def test_without_grace_a_past_due_subscription_does_not_count(client_with_grace, token_for):
    await _past_due("ada", NOW - timedelta(minutes=1))

    assert await _viewer(client_with_grace, 0, token_for("ada")) == OUT


async def test_within_the_grace_a_past_due_subscription_counts(client_with_grace, token_for):
    await _past_due("ada", NOW - timedelta(days=3) + timedelta(seconds=1))

    assert await _viewer(client_with_grace, 3, token_for("ada")) == IN


async def test_once_the_grace_is_over_a_past_due_subscription_no_longer_counts(
    client_with_grace, token_for
):
    await _past_due("ada", NOW - timedelta(days=3))

    assert await _viewer(client_with_grace, 3, token_for("ada")) == OUT


async def test_the_grace_counts_from_the_oldest_unpaid_invoice(client_with_grace, token_for):
    await _past_due("ada", NOW - timedelta(days=1), NOW - timedelta(days=5))

    assert await _viewer(client_with_grace, 3, token_for("ada")) == OUT


async def test_without_a_known_failing_invoice_there_is_no_grace(client_with_grace, token_for):
    await _past_due("ada")

    assert await _viewer(client_with_grace, 3, token_for("ada")) == OUT


@pytest.mark.parametrize("status", ["unpaid", "canceled", "paused", "incomplete"])
async def test_the_grace_is_for_past_due_subscriptions_only(client_with_grace, token_for, status):
    await _past_due("ada", NOW - timedelta(minutes=1), status=status)

    assert await _viewer(client_with_grace, 3, token_for("ada")) == OUT


async def test_the_product_filter_of_has_active_subscription_honours_the_grace(
    client_with_grace, token_for
):
    await _past_due("ada", NOW - timedelta(days=1))
    query = 'query { viewer { basic: hasActiveSubscription(productId: "prod_basic") '
    query += 'pro: hasActiveSubscription(productId: "prod_pro") } }'

    async with client_with_grace(3) as client:
        answer = await graphql(client, query, token=token_for("ada"))

    assert answer == {"data": {"viewer": {"basic": True, "pro": False}}}
