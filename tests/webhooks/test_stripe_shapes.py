"""What the viewer shows after Stripe's real payloads (API 2026-10-28), delivered to the endpoint:
a cancellation in either billing mode, Checkout's card on the subscription, and a renewal's
draft invoice."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support import graphql
from tests.webhooks import stripe_payloads as stripe
from tests.webhooks import support as s
from tests.webhooks.stripe_payloads import BILLING_MODES, CHECKOUT_AT, PERIOD_END, Customer

CANCELLED_AT = CHECKOUT_AT + 5 * stripe.DAY
PERIOD_END_ISO = datetime.fromtimestamp(PERIOD_END, UTC).isoformat()
SUBSCRIPTION = """
query { viewer { subscriptions { id status cancelAtPeriodEnd cancelAt canceledAt } } }
"""
CARDS = """
query {
  viewer {
    defaultPaymentMethod { id brand last4 expMonth expYear }
    subscriptions { defaultPaymentMethod { id brand last4 } }
  }
}
"""
INVOICES = "query { viewer { invoices { id status amountDue amountPaid hostedInvoiceUrl } } }"


@pytest.fixture
def deliver_all(client, settings):
    async def deliver_all(events):
        for body in events:
            response = await s.deliver(client, body, settings.webhook_secret)
            assert response.status_code == 200, response.text

    return deliver_all


@pytest.fixture
def viewer(client, token_for):
    async def viewer(customer: Customer, query: str):
        body = await graphql(client, query, token=token_for(customer.user_id))
        assert "errors" not in body, body
        return body["data"]["viewer"]

    return viewer


@pytest.fixture
async def subscribed(deliver_all):
    """A customer who bought Basic through Checkout, in the billing mode asked for."""

    async def subscribed(mode):
        customer = Customer(f"shape_{mode}", mode)
        await deliver_all(stripe.customer_created(customer))
        await deliver_all(stripe.checkout_completed(customer))
        return customer

    return subscribed


@pytest.mark.parametrize("mode", BILLING_MODES)
async def test_a_portal_cancellation_ends_the_subscription_at_period_end_in_either_mode(
    subscribed, deliver_all, viewer, mode
):
    customer = await subscribed(mode)

    await deliver_all(stripe.portal_cancel(customer, CANCELLED_AT))

    [row] = (await viewer(customer, SUBSCRIPTION))["subscriptions"]
    assert (row["status"], row["cancelAtPeriodEnd"], row["cancelAt"]) == (
        "ACTIVE",
        True,
        PERIOD_END_ISO,
    )


@pytest.mark.parametrize("mode", BILLING_MODES)
async def test_renewing_in_the_portal_clears_the_scheduled_cancellation(
    subscribed, deliver_all, viewer, mode
):
    customer = await subscribed(mode)
    await deliver_all(stripe.portal_cancel(customer, CANCELLED_AT))

    await deliver_all(stripe.portal_renew(customer, CANCELLED_AT, CANCELLED_AT + stripe.DAY))

    [row] = (await viewer(customer, SUBSCRIPTION))["subscriptions"]
    assert (row["cancelAtPeriodEnd"], row["cancelAt"], row["canceledAt"]) == (False, None, None)


@pytest.mark.parametrize("mode", BILLING_MODES)
async def test_the_subscription_ended_at_period_end_still_says_so(
    subscribed, deliver_all, viewer, mode
):
    customer = await subscribed(mode)
    await deliver_all(stripe.portal_cancel(customer, CANCELLED_AT))

    await deliver_all(stripe.scheduled_end_reached(customer, CANCELLED_AT))

    [row] = (await viewer(customer, SUBSCRIPTION))["subscriptions"]
    assert (row["status"], row["cancelAtPeriodEnd"], row["cancelAt"]) == (
        "CANCELED",
        True,
        PERIOD_END_ISO,
    )


async def test_a_cancellation_dated_before_the_period_end_is_not_at_period_end(
    subscribed, deliver_all, viewer
):
    customer = await subscribed("flexible")
    ends = PERIOD_END - 10 * stripe.DAY
    early = stripe.subscription_object(
        customer, status="active", cancel_at=ends, canceled_at=CANCELLED_AT
    )

    change = ("customer.subscription.updated", early, {"cancel_at": None, "canceled_at": None})

    await deliver_all(stripe.burst(customer, "early", CANCELLED_AT, [change]))

    [row] = (await viewer(customer, SUBSCRIPTION))["subscriptions"]
    assert (row["cancelAtPeriodEnd"], row["cancelAt"]) == (
        False,
        datetime.fromtimestamp(ends, UTC).isoformat(),
    )


@pytest.mark.parametrize("mode", BILLING_MODES)
async def test_a_checkout_subscriber_sees_the_card_they_typed_into_checkout(
    subscribed, viewer, mode
):
    customer = await subscribed(mode)

    cards = await viewer(customer, CARDS)

    visa = {"id": customer.card, "brand": "visa", "last4": "4242"}
    assert cards["defaultPaymentMethod"] == {**visa, "expMonth": 12, "expYear": 2030}
    assert cards["subscriptions"] == [{"defaultPaymentMethod": visa}]


async def test_a_subscription_card_stripe_has_not_described_yet_shows_its_id_alone(
    deliver_all, viewer
):
    customer = Customer("shape_undescribed")
    checkout = stripe.checkout_completed(customer)
    before_the_card = {"customer.subscription.created", "checkout.session.completed"}

    await deliver_all([event for event in checkout if event["type"] in before_the_card])

    cards = await viewer(customer, CARDS)
    unknown = {"id": customer.card, "brand": None, "last4": None}
    assert cards["defaultPaymentMethod"] == {**unknown, "expMonth": None, "expYear": None}
    assert cards["subscriptions"] == [{"defaultPaymentMethod": unknown}]


async def test_a_portal_card_update_shows_the_new_card_while_the_subscription_keeps_its_own(
    subscribed, deliver_all, viewer
):
    customer = await subscribed("flexible")

    await deliver_all(stripe.portal_card_update(customer, CANCELLED_AT))

    cards = await viewer(customer, CARDS)
    assert cards["defaultPaymentMethod"]["last4"] == "4444"
    assert cards["subscriptions"] == [
        {"defaultPaymentMethod": {"id": customer.card, "brand": "visa", "last4": "4242"}}
    ]


async def test_a_renewal_draft_is_not_listed_among_the_invoices(subscribed, deliver_all, viewer):
    customer = await subscribed("flexible")

    await deliver_all(stripe.renewal_boundary(customer))

    invoices = (await viewer(customer, INVOICES))["invoices"]
    assert [row["id"] for row in invoices] == [customer.first_invoice]


async def test_the_renewal_invoice_is_listed_once_finalized_and_paid(
    subscribed, deliver_all, viewer
):
    customer = await subscribed("flexible")
    await deliver_all(stripe.renewal_boundary(customer))

    await deliver_all(stripe.renewal_charged(customer))

    invoices = (await viewer(customer, INVOICES))["invoices"]
    assert invoices[0] == {
        "id": customer.renewal_invoice,
        "status": "paid",
        "amountDue": stripe.BASIC_AMOUNT,
        "amountPaid": stripe.BASIC_AMOUNT,
        "hostedInvoiceUrl": f"https://invoice.stripe.com/i/{customer.renewal_invoice}",
    }
    assert [row["id"] for row in invoices] == [customer.renewal_invoice, customer.first_invoice]
