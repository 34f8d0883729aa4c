"""A new card in the Customer Portal: the only things Stripe guarantees, and what it leaves as
it was (the subscription's own card, an open invoice)."""

from __future__ import annotations

import pytest

from simulator.billing_modes import BILLING_MODES
from simulator.stripe_side import CARDS
from tests.simulator.stripe_account import Account, the, types


async def _checkout_card(account: Account) -> str:
    """Subscribe with a Visa; returns the id of the card Checkout saved."""
    burst = await account.subscribe(card="visa")
    return str(the("payment_method.attached", burst)["data"]["object"]["id"])


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_portal_card_update_attaches_the_card_and_makes_it_the_customers_default(
    account,
):
    await _checkout_card(account)
    visit = await account.portal()

    await visit.update_card(CARDS["mastercard"])

    burst = account.take()
    card = the("payment_method.attached", burst)["data"]["object"]
    customer = the("customer.updated", burst)["data"]
    assert types(burst) == {"payment_method.attached": 1, "customer.updated": 1}
    assert card["card"]["last4"] == "4444"
    assert customer["object"]["invoice_settings"]["default_payment_method"] == card["id"]
    assert customer["previous_attributes"] == {"invoice_settings": {"default_payment_method": None}}


async def test_after_a_portal_card_update_renewals_still_charge_the_subscriptions_card(account):
    checkout_card = await _checkout_card(account)
    await (await account.portal()).update_card(CARDS["mastercard"])
    account.take()

    await account.customer.end_billing_period()

    charge = the("charge.succeeded", account.take())["data"]["object"]
    assert charge["payment_method"] == checkout_card


async def test_an_open_invoice_stays_open_when_the_card_changes_and_is_retried_on_the_old_card(
    account,
):
    checkout_card = await _checkout_card(account)
    account.customer.card_starts_declining()
    await account.customer.end_billing_period()
    account.take()

    await (await account.portal()).update_card(CARDS["mastercard"])
    after_update = types(account.take())
    await account.customer.retry_payment()

    retry = account.take()
    assert not [kind for kind in after_update if kind.startswith("invoice")]
    assert the("charge.failed", retry)["data"]["object"]["payment_method"] == checkout_card
    assert the("invoice.payment_failed", retry)["data"]["object"]["status"] == "open"
