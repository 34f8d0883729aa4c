"""Plan switches and quantity changes in the simulated Stripe's portal, prorated as the portal's
configuration says, with the amounts Stripe's documented rule gives.

Stripe's worked example: halfway through a period, moving from a 10 USD plan to a 20 USD one
credits 5 USD for the unused time and debits 10 USD for the remaining time, to the second. The
catalog's Basic is 900 a period, Pro 2900.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import httpx
import pytest
import stripe

from simulator.billing_modes import BILLING_MODES
from simulator.stripe_side.api_recorder import recording
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.portal_configurations import (
    ACCOUNT_DEFAULT,
    PortalConfigurations,
    PortalRefused,
    ProrationBehavior,
)
from simulator.stripe_side.prorations import prorated, remaining_share
from tests.simulator.stripe_account import (
    ENTITLEMENTS_CHANGED,
    RETURN_URL,
    Account,
    Event,
    the,
    types,
)

HALFWAY = Fraction(1, 2)


def _configure(account: Account, session_id: str, behavior: ProrationBehavior) -> None:
    account.offer_plan_changes(session_id, behavior)


async def _switch(
    account: Account,
    plan: str,
    *,
    quantity: int = 1,
    behavior: ProrationBehavior = "create_prorations",
    session_id: str = "bps_spec",
) -> list[Event]:
    """Switch in a portal session configured with `behavior`; returns the switch's events."""
    _configure(account, session_id, behavior)
    visit = await account.customer.open_portal(session_id, RETURN_URL)
    await visit.switch_plan(account.catalog[plan], quantity=quantity)
    return account.take()


def _amounts(events: list[Event]) -> list[int]:
    return [e["data"]["object"]["amount"] for e in events if e["type"] == "invoiceitem.created"]


def _renewal_invoice(events: list[Event]) -> dict[str, Any]:
    paid: dict[str, Any] = the("invoice.paid", events)["data"]["object"]
    return paid


async def test_a_switch_halfway_credits_the_unused_half_and_debits_the_remaining_half(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "pro")

    assert types(events) == {
        "customer.subscription.updated": 1,
        "invoiceitem.created": 2,
        ENTITLEMENTS_CHANGED: 1,
    }
    assert _amounts(events) == [-450, 1450]


async def test_a_proration_is_the_share_of_the_period_left_to_the_second(account):
    await account.subscribe("basic")
    await account.customer.time_passes(10 * DAY + 1_234)

    events = await _switch(account, "pro")

    update = the("customer.subscription.updated", events)
    item = update["data"]["object"]["items"]["data"][0]
    start, end, now = item["current_period_start"], item["current_period_end"], update["created"]
    left = Fraction(end - now, end - start)
    assert _amounts(events) == [
        -math.floor(900 * left + HALFWAY),
        math.floor(2900 * left + HALFWAY),
    ]


async def test_each_proration_item_is_pending_and_covers_the_rest_of_the_period(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "pro")

    update = the("customer.subscription.updated", events)
    period_end = update["data"]["object"]["items"]["data"][0]["current_period_end"]
    for event in events:
        if event["type"] == "invoiceitem.created":
            item = event["data"]["object"]
            assert item["proration"] is True
            assert item["invoice"] is None
            assert item["period"] == {"start": update["created"], "end": period_end}
            assert (
                item["parent"]["subscription_details"]["subscription"]
                == (update["data"]["object"]["id"])
            )


async def test_the_switch_announces_the_old_item_as_previous_attributes(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "pro")

    previous = the("customer.subscription.updated", events)["data"]["previous_attributes"]
    assert previous["items"]["data"][0]["price"]["id"] == account.catalog["basic"].price_id


async def test_created_prorations_are_billed_with_the_next_renewal(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)
    await _switch(account, "pro", behavior="create_prorations")

    await account.customer.end_billing_period()

    invoice = _renewal_invoice(account.take())
    lines = invoice["lines"]["data"]
    assert sorted(line["amount"] for line in lines) == [-450, 1450, 2900]
    assert invoice["amount_due"] == invoice["amount_paid"] == 3900


async def test_always_invoice_bills_the_prorations_at_once(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "pro", behavior="always_invoice")

    invoice = _renewal_invoice(events)
    assert the("invoice.created", events)["data"]["object"]["billing_reason"] == (
        "subscription_update"
    )
    assert {"invoice.finalized", "invoice.paid"} <= set(types(events))
    assert [line["amount"] for line in invoice["lines"]["data"]] == [-450, 1450]
    assert invoice["amount_paid"] == 1000


async def test_prorations_invoiced_at_once_are_not_billed_again_at_renewal(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)
    await _switch(account, "pro", behavior="always_invoice")

    await account.customer.end_billing_period()

    assert _renewal_invoice(account.take())["amount_paid"] == 2900


async def test_without_prorations_only_the_subscription_changes_and_renewal_bills_the_new_price(
    account,
):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "pro", behavior="none")
    await account.customer.end_billing_period()

    assert types(events) == {"customer.subscription.updated": 1, ENTITLEMENTS_CHANGED: 1}
    assert _renewal_invoice(account.take())["amount_paid"] == 2900


async def test_a_downgrade_invoiced_at_once_charges_nothing_for_a_net_credit(account):
    await account.subscribe("pro")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "basic", behavior="always_invoice")

    invoice = _renewal_invoice(events)
    assert invoice["total"] == -1000
    assert invoice["amount_due"] == invoice["amount_paid"] == 0
    assert "charge.succeeded" not in types(events)


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_after_an_unprorated_switch_flexible_credits_what_was_billed_classic_the_price(
    account, billing_mode
):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(Fraction(1, 4))
    await _switch(account, "pro", behavior="none", session_id="bps_first")
    await account.customer.reach_share_of_period(HALFWAY)

    events = await _switch(account, "basic", session_id="bps_second")

    credited = {"flexible": 900, "classic": 2900}[billing_mode]
    assert _amounts(events) == [-credited // 2, 450]


async def test_a_quantity_change_prorates_the_same_price_for_the_new_quantity(account):
    await account.subscribe("basic")
    await account.customer.reach_share_of_period(HALFWAY)
    _configure(account, "bps_spec", "create_prorations")
    visit = await account.portal()

    await visit.change_quantity(3)

    events = account.take()
    update = the("customer.subscription.updated", events)
    assert update["data"]["object"]["items"]["data"][0]["quantity"] == 3
    assert update["data"]["previous_attributes"]["items"]["data"][0]["quantity"] == 1
    assert _amounts(events) == [-450, 1350]


async def test_the_account_default_portal_offers_no_plan_switch(account):
    await account.subscribe("basic")
    visit = await account.portal()

    with pytest.raises(PortalRefused, match="does not let customers update plans"):
        await visit.switch_plan(account.catalog["pro"], quantity=1)


async def test_the_portal_offers_only_the_prices_its_configuration_lists(account):
    await account.subscribe("basic")
    _configure(account, "bps_spec", "create_prorations")
    visit = await account.portal()

    with pytest.raises(PortalRefused, match="does not offer the price"):
        await visit.switch_plan(account.catalog["setup"], quantity=1)


def test_stripe_rounds_a_proration_to_the_cent():
    share = remaining_share(0, 30 * DAY, 20 * DAY)

    assert (prorated(900, 1, share), prorated(1000, 1, share), prorated(5, 1, HALFWAY)) == (
        300,
        333,
        3,
    )


async def test_a_session_shows_the_configuration_the_service_saved_through_the_api(stripe_mock):
    configurations = PortalConfigurations()
    async with recording(stripe_mock.url, configurations) as stripe_url:
        http = stripe.HTTPXClient()
        client = stripe.StripeClient(
            "sk_test_spec", base_addresses={"api": stripe_url}, http_client=http
        )
        saved = await client.v1.billing_portal.configurations.create_async(
            {
                "features": {
                    "subscription_update": {
                        "enabled": True,
                        "default_allowed_updates": ["price"],
                        "products": [{"product": "prod_spec", "prices": ["price_spec"]}],
                        "proration_behavior": "always_invoice",
                    }
                }
            }
        )
        configured = await client.v1.billing_portal.sessions.create_async(
            {"customer": "cus_spec", "configuration": saved.id}
        )
        unconfigured = await client.v1.billing_portal.sessions.create_async(
            {"customer": "cus_spec"}
        )
        await http.close_async()

    shown = configurations.for_session(configured.id)
    assert (shown.proration_behavior, shown.switchable_prices) == (
        "always_invoice",
        frozenset({"price_spec"}),
    )
    assert configurations.for_session(unconfigured.id) == ACCOUNT_DEFAULT


async def test_the_recorder_answers_what_stripe_mock_answers(stripe_mock):
    async with (
        recording(stripe_mock.url, PortalConfigurations()) as stripe_url,
        httpx.AsyncClient(auth=("sk_test_spec", "")) as http,
    ):
        direct = await http.get(f"{stripe_mock.url}/v1/customers/cus_spec")
        recorded = await http.get(f"{stripe_url}/v1/customers/cus_spec")

    assert recorded.status_code == direct.status_code == 200
    assert recorded.json()["id"] == "cus_spec"
