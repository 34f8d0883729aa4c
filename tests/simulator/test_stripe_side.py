"""The simulated Stripe's customer actions send Stripe's events, in Stripe's order.

Each action runs against stripe-mock (which checks every API call) and delivers to an endpoint
that records what it receives, so these specify the Stripe side alone, without the service.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from simulator.naming import Roles
from simulator.stripe_side import (
    CARDS,
    CatalogPrice,
    Chaos,
    StripeApi,
    StripeCustomer,
    StripeSide,
    WebhookEndpoint,
)
from simulator.toolkit.stripe_mock import StripeMockServer

SUCCESS_URL = "https://localhost/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://localhost/canceled"


@dataclass
class RecordingEndpoint:
    """Answers every delivery 200 and keeps the events, oldest first."""

    events: list[dict[str, Any]] = field(default_factory=list)

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.events.append(json.loads(request.content))
        return httpx.Response(200)

    def take_types(self) -> list[str]:
        types = [event["type"] for event in self.events]
        self.events.clear()
        return types


@dataclass
class Account:
    customer: StripeCustomer
    catalog: dict[str, CatalogPrice]
    endpoint: RecordingEndpoint


@pytest.fixture
async def account(stripe_mock: StripeMockServer) -> AsyncIterator[Account]:
    endpoint = RecordingEndpoint()
    api = StripeApi(stripe_mock.url)
    async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint.answer)) as http:
        webhooks = WebhookEndpoint(http, "http://service/webhooks/stripe", "whsec_spec")
        side = StripeSide(api, webhooks, "stripe-side-spec")
        customer = side.customer_for("customer 1", Roles(), Chaos(None))
        yield Account(customer, side.catalog, endpoint)
    await api.close()


async def _subscribe(account: Account, card: str = "visa") -> None:
    await account.customer.customer_created("cus_spec", "user-1", "one@example.com")
    page = await account.customer.open_checkout(
        "cs_spec",
        account.catalog["basic"],
        quantity=1,
        trial_days=None,
        success_url=SUCCESS_URL,
        cancel_url=CANCEL_URL,
    )
    await page.complete(CARDS[card])


async def test_a_checkout_subscription_announces_card_customer_subscription_and_paid_invoice(
    account,
):
    await _subscribe(account)

    assert account.endpoint.take_types() == [
        "customer.created",
        "payment_method.attached",
        "customer.updated",
        "customer.subscription.created",
        "invoice.created",
        "invoice.finalized",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
        "checkout.session.completed",
    ]


async def test_a_cancel_at_period_end_is_announced_then_carried_out_when_the_period_ends(account):
    await _subscribe(account)
    account.endpoint.take_types()
    visit = await account.customer.open_portal("bps_spec", "https://localhost/account")

    await visit.cancel(at_period_end=True)
    scheduled = account.endpoint.events[-1]["data"]["object"]
    await account.customer.end_billing_period()

    assert scheduled["cancel_at_period_end"] is True
    assert account.endpoint.take_types() == [
        "customer.subscription.updated",
        "customer.subscription.deleted",
    ]


async def test_a_new_card_pays_the_declined_renewal_and_the_subscription_recovers(account):
    await _subscribe(account)
    account.customer.card_starts_declining()
    await account.customer.end_billing_period()
    past_due = account.endpoint.events[-1]["data"]["object"]["status"]
    account.endpoint.take_types()
    visit = await account.customer.open_portal("bps_spec", "https://localhost/account")

    await visit.update_card(CARDS["mastercard"])

    assert past_due == "past_due"
    assert account.endpoint.events[-1]["data"]["object"]["status"] == "active"
    assert account.endpoint.take_types() == [
        "payment_method.attached",
        "customer.updated",
        "customer.subscription.updated",
        "payment_method.detached",
        "invoice.paid",
        "invoice.payment_succeeded",
        "customer.subscription.updated",
    ]


async def test_the_portal_does_not_open_before_the_service_created_the_stripe_customer(account):
    with pytest.raises(RuntimeError, match="no Stripe customer yet"):
        await account.customer.open_portal("bps_spec", "https://localhost/account")
