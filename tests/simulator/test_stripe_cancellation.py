"""Cancelling in the Customer Portal, renewing before the end, and the end itself, as the
simulated Stripe announces them in each billing mode."""

from __future__ import annotations

import pytest

from simulator.billing_modes import BILLING_MODES
from tests.simulator.stripe_account import ENTITLEMENTS_CHANGED, Account, Event, the, types

REQUESTED = {"comment": None, "feedback": None, "reason": "cancellation_requested"}


async def _cancel_at_period_end(account: Account) -> Event:
    """Subscribe, cancel at period end in the portal; returns the one event that sent."""
    await account.subscribe()
    visit = await account.portal()
    await visit.cancel(at_period_end=True)
    [event] = account.take()
    return event


def _period_end(subscription: Event) -> int:
    return int(subscription["items"]["data"][0]["current_period_end"])


def _during(event: Event, moment: int) -> bool:
    """`moment` is the time of the action that sent `event` (its `created`, to the second)."""
    created = int(event["created"])
    return created - 2 <= moment <= created


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_portal_cancel_sets_cancel_at_to_the_period_end_and_keeps_the_subscription(
    account,
):
    event = await _cancel_at_period_end(account)

    subscription = event["data"]["object"]
    assert event["type"] == "customer.subscription.updated"
    assert subscription["cancel_at"] == _period_end(subscription)
    assert _during(event, subscription["canceled_at"])
    assert subscription["cancellation_details"] == REQUESTED
    assert subscription["status"] == "active"


@pytest.mark.parametrize("billing_mode", ["classic"])
async def test_a_classic_portal_cancel_also_sets_cancel_at_period_end(account):
    event = await _cancel_at_period_end(account)

    assert event["data"]["object"]["cancel_at_period_end"] is True
    assert event["data"]["previous_attributes"] == {
        "cancel_at": None,
        "cancel_at_period_end": False,
        "canceled_at": None,
        "cancellation_details": {"reason": None},
    }


@pytest.mark.parametrize("billing_mode", ["flexible"])
async def test_a_flexible_portal_cancel_leaves_cancel_at_period_end_false(account):
    event = await _cancel_at_period_end(account)

    assert event["data"]["object"]["cancel_at_period_end"] is False
    assert event["data"]["previous_attributes"] == {
        "cancel_at": None,
        "canceled_at": None,
        "cancellation_details": {"reason": None},
    }


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_an_immediate_portal_cancel_ends_the_subscription_at_once(account):
    await account.subscribe()
    visit = await account.portal()

    await visit.cancel(at_period_end=False)

    events = account.take()
    assert types(events) == {"customer.subscription.deleted": 1, ENTITLEMENTS_CHANGED: 1}
    event = the("customer.subscription.deleted", events)
    subscription = event["data"]["object"]
    assert subscription["status"] == "canceled"
    assert subscription["canceled_at"] == subscription["ended_at"]
    assert _during(event, subscription["ended_at"])
    assert subscription["cancellation_details"] == REQUESTED


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_scheduled_cancel_ends_the_subscription_at_cancel_at_without_an_invoice(account):
    scheduled = (await _cancel_at_period_end(account))["data"]["object"]

    await account.customer.end_billing_period()

    events = account.take()
    assert types(events) == {"customer.subscription.deleted": 1, ENTITLEMENTS_CHANGED: 1}
    event = the("customer.subscription.deleted", events)
    subscription = event["data"]["object"]
    assert subscription["status"] == "canceled"
    assert subscription["ended_at"] == scheduled["cancel_at"]
    assert subscription["canceled_at"] == scheduled["canceled_at"]


async def _renew_after_cancel(account: Account) -> tuple[Event, Event]:
    """Cancel at period end, then renew in the portal; returns the scheduled subscription and
    the one event the renewal sent."""
    scheduled = (await _cancel_at_period_end(account))["data"]["object"]
    await (await account.portal()).renew()
    [event] = account.take()
    return scheduled, event


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_renewing_in_the_portal_withdraws_the_scheduled_cancellation(account):
    _, event = await _renew_after_cancel(account)

    subscription = event["data"]["object"]
    assert event["type"] == "customer.subscription.updated"
    assert (subscription["cancel_at_period_end"], subscription["cancel_at"]) == (False, None)
    assert subscription["canceled_at"] is None
    assert subscription["cancellation_details"]["reason"] is None
    assert subscription["status"] == "active"


@pytest.mark.parametrize("billing_mode", ["classic"])
async def test_renewing_a_classic_cancel_names_both_fields_as_they_were(account):
    scheduled, event = await _renew_after_cancel(account)

    assert event["data"]["previous_attributes"] == {
        "cancel_at": scheduled["cancel_at"],
        "cancel_at_period_end": True,
        "canceled_at": scheduled["canceled_at"],
        "cancellation_details": {"reason": "cancellation_requested"},
    }


@pytest.mark.parametrize("billing_mode", ["flexible"])
async def test_renewing_a_flexible_cancel_names_only_cancel_at_as_it_was(account):
    scheduled, event = await _renew_after_cancel(account)

    assert event["data"]["previous_attributes"] == {
        "cancel_at": scheduled["cancel_at"],
        "canceled_at": scheduled["canceled_at"],
        "cancellation_details": {"reason": "cancellation_requested"},
    }


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_renewed_subscription_renews_at_the_period_end_instead_of_ending(account):
    await _renew_after_cancel(account)

    await account.customer.end_billing_period()

    sent = types(account.take())
    assert "customer.subscription.deleted" not in sent
    assert sent["invoice.paid"] == 1


@pytest.mark.parametrize("billing_mode", BILLING_MODES)
async def test_a_canceled_subscription_cannot_be_renewed(account):
    await account.subscribe()
    visit = await account.portal()
    await visit.cancel(at_period_end=False)

    with pytest.raises(RuntimeError, match="cannot be renewed"):
        await visit.renew()
