"""Completing Stripe Checkout: what the simulated Stripe sends, in each billing mode.

Within the burst of one Checkout, Stripe guarantees no order, so these compare multisets of
event types and read fields from the one event of each type.
"""

from __future__ import annotations

from collections import Counter

import pytest

from simulator.billing_modes import BILLING_MODES
from tests.simulator.stripe_account import ENTITLEMENTS_CHANGED, the, types

SUBSCRIPTION_BURST = Counter(
    {
        "payment_method.attached": 1,
        "customer.subscription.created": 1,
        "invoice.created": 1,
        "invoice.finalized": 1,
        "payment_intent.created": 1,
        "charge.succeeded": 1,
        "payment_intent.succeeded": 1,
        "invoice.paid": 1,
        "invoice.payment_succeeded": 1,
        "invoice_payment.paid": 1,
        "customer.subscription.updated": 1,
        "checkout.session.completed": 1,
        ENTITLEMENTS_CHANGED: 1,
    }
)
PAYMENT_BURST = Counter(
    {
        "payment_intent.created": 1,
        "charge.succeeded": 1,
        "payment_intent.succeeded": 1,
        "invoice.created": 1,
        "invoice.finalized": 1,
        "invoice.updated": 1,
        "invoice.paid": 1,
        "invoice.payment_succeeded": 1,
        "invoice_payment.paid": 1,
        "checkout.session.completed": 1,
    }
)
SETUP_PRICE = 4900


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_subscription_checkout_sends_stripes_burst_and_no_customer_updated(account):
    burst = await account.subscribe()

    sent = types(burst)
    assert 1 <= sent.pop("invoice.updated", 0) <= 3
    assert sent == SUBSCRIPTION_BURST
    assert "customer.updated" not in sent


async def test_the_subscription_starts_incomplete_and_turns_active_once_its_invoice_is_paid(
    account,
):
    burst = await account.subscribe()

    created = the("customer.subscription.created", burst)["data"]["object"]
    updated = the("customer.subscription.updated", burst)["data"]
    assert created["status"] == "incomplete"
    assert created["latest_invoice"] == the("invoice.created", burst)["data"]["object"]["id"]
    assert updated["object"]["status"] == "active"
    assert updated["previous_attributes"] == {"status": "incomplete"}


async def test_the_first_invoice_is_finalized_at_once_and_paid_through_an_invoice_payment(
    account,
):
    burst = await account.subscribe()

    drafted = the("invoice.created", burst)["data"]["object"]
    paid = the("invoice.paid", burst)["data"]["object"]
    link = the("invoice_payment.paid", burst)["data"]["object"]
    intent = the("payment_intent.succeeded", burst)["data"]["object"]
    assert (drafted["status"], drafted["billing_reason"]) == ("draft", "subscription_create")
    assert the("invoice.finalized", burst)["data"]["object"]["status"] == "open"
    assert (paid["status"], paid["amount_paid"], paid["attempt_count"]) == ("paid", 900, 1)
    assert link["invoice"] == paid["id"]
    assert link["payment"] == {"type": "payment_intent", "payment_intent": intent["id"]}


async def test_the_completed_session_names_the_subscription_and_its_first_invoice(account):
    burst = await account.subscribe()

    session = the("checkout.session.completed", burst)["data"]["object"]
    subscription = the("customer.subscription.updated", burst)["data"]["object"]
    assert (session["mode"], session["status"], session["payment_status"]) == (
        "subscription",
        "complete",
        "paid",
    )
    assert session["subscription"] == subscription["id"]
    assert session["invoice"] == subscription["latest_invoice"]


async def test_checkouts_card_is_the_subscriptions_and_never_the_customers_default(account):
    burst = await account.subscribe()

    card = the("payment_method.attached", burst)["data"]["object"]
    subscription = the("customer.subscription.updated", burst)["data"]["object"]
    charge = the("charge.succeeded", burst)["data"]["object"]
    assert subscription["default_payment_method"] == card["id"]
    assert charge["payment_method"] == card["id"]
    assert "customer.updated" not in types(burst)


async def test_checkout_subscriptions_are_flexible_by_default(account):
    burst = await account.subscribe()

    subscription = the("customer.subscription.created", burst)["data"]["object"]
    assert subscription["billing_mode"] == {
        "type": "flexible",
        "flexible": {"proration_discounts": "included"},
        "updated_at": subscription["created"],
    }


@pytest.mark.parametrize("billing_mode", ["classic"])
async def test_a_classic_account_gets_classic_subscriptions(account):
    burst = await account.subscribe()

    subscription = the("customer.subscription.created", burst)["data"]["object"]
    assert subscription["billing_mode"] == {"type": "classic", "flexible": None, "updated_at": None}


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_payment_checkout_sends_the_payment_its_invoice_and_no_saved_card(account):
    burst = await account.buy_once()

    assert types(burst) == PAYMENT_BURST


async def test_the_payment_is_taken_by_an_intent_whose_charge_names_no_invoice(account):
    burst = await account.buy_once()

    intent = the("payment_intent.succeeded", burst)["data"]["object"]
    charge = the("charge.succeeded", burst)["data"]["object"]
    session = the("checkout.session.completed", burst)["data"]["object"]
    assert (intent["status"], intent["amount_received"]) == ("succeeded", SETUP_PRICE)
    assert intent["latest_charge"] == charge["id"]
    assert (charge["paid"], charge["payment_intent"]) == (True, intent["id"])
    assert "invoice" not in charge
    assert "invoice" not in intent
    assert (session["mode"], session["payment_intent"], session["subscription"]) == (
        "payment",
        intent["id"],
        None,
    )


async def test_a_payment_checkout_issues_a_paid_invoice_linked_to_the_payment(account):
    burst = await account.buy_once()

    invoice = the("invoice.paid", burst)["data"]["object"]
    link = the("invoice_payment.paid", burst)["data"]["object"]
    intent = the("payment_intent.succeeded", burst)["data"]["object"]
    session = the("checkout.session.completed", burst)["data"]["object"]
    assert (invoice["status"], invoice["parent"], invoice["amount_paid"]) == (
        "paid",
        None,
        SETUP_PRICE,
    )
    assert session["invoice"] == invoice["id"]
    assert link["payment"]["payment_intent"] == intent["id"]
