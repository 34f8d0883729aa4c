"""Stripe Entitlements on the simulated Stripe: an active entitlement summary in the burst of
every change of the features a customer's subscription grants, and no other."""

from __future__ import annotations

import pytest

from simulator.billing_modes import BILLING_MODES
from simulator.stripe_side.settings import BillingSettings
from tests.simulator.stripe_account import (
    CUSTOMER_ID,
    ENTITLEMENTS_CHANGED,
    Account,
    Event,
    recorded_account,
)

pytestmark = pytest.mark.parametrize("billing_mode", BILLING_MODES)


def _entitled(events: list[Event]) -> list[list[str]]:
    """The lookup keys each summary among `events` lists."""
    return [
        [item["lookup_key"] for item in event["data"]["object"]["entitlements"]["data"]]
        for event in events
        if event["type"] == ENTITLEMENTS_CHANGED
    ]


async def test_a_paid_subscription_entitles_to_its_products_features(account: Account):
    burst = await account.subscribe("basic")

    assert _entitled(burst) == [["reports"]]
    [summary] = [event for event in burst if event["type"] == ENTITLEMENTS_CHANGED]
    assert summary["data"]["object"]["customer"] == CUSTOMER_ID


async def test_a_trial_entitles_at_once(account: Account):
    burst = await account.subscribe("pro", trial_days=14)

    assert _entitled(burst) == [["reports", "priority-support"]]


async def test_a_switch_to_a_product_with_other_features_announces_them(account: Account):
    await account.subscribe("basic")
    account.offer_plan_changes()

    await (await account.portal()).switch_plan(account.catalog["pro"], quantity=1)

    assert _entitled(account.take()) == [["reports", "priority-support"]]


async def test_a_quantity_change_keeps_the_features_unannounced(account: Account):
    await account.subscribe("basic")
    account.offer_plan_changes()

    await (await account.portal()).change_quantity(3)

    assert _entitled(account.take()) == []


async def test_a_scheduled_cancellation_keeps_them_until_the_subscription_ends(account: Account):
    await account.subscribe("basic")

    await (await account.portal()).cancel(at_period_end=True)
    scheduled = account.take()
    await account.customer.end_billing_period()

    assert (_entitled(scheduled), _entitled(account.take())) == ([], [[]])


async def test_a_past_due_subscription_keeps_its_features(account: Account):
    await account.subscribe("basic")
    account.customer.card_starts_declining()

    await account.customer.end_billing_period()

    assert _entitled(account.take()) == []


async def test_a_subscription_paused_at_the_end_of_its_trial_keeps_its_features(
    account: Account,
):
    started = await account.start_trial_without_card("pause")

    await account.customer.end_trial()

    assert (_entitled(started), _entitled(account.take())) == (
        [["reports", "priority-support"]],
        [],
    )


async def test_a_subscription_canceled_when_its_retries_run_out_loses_its_features(
    stripe_mock, billing_mode
):
    canceling = BillingSettings(after_final_retry="cancel")
    async with recorded_account(stripe_mock.url, billing_mode, canceling) as account:
        await account.subscribe("basic")
        account.customer.card_starts_declining()
        await account.customer.end_billing_period()
        account.take()

        await account.customer.exhaust_payment_retries()

        assert _entitled(account.take()) == [[]]
