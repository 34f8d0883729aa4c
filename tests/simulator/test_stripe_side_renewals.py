"""What time does to a subscription on the simulated Stripe: renewals (a draft, then about an
hour later the charge), dunning on the account's retry schedule and its final action, and the
end of a trial with or without a card.

Each test runs the Stripe side against stripe-mock with an endpoint that records what it is sent,
and checks only what Stripe guarantees: the events of each burst (in no order), their moment on
the simulated clock, and the fields that change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import pytest

from simulator.billing_modes import DEFAULT_BILLING_MODE
from simulator.stripe_side.billing import PERIOD_DAYS
from simulator.stripe_side.clock import DAY, HOUR
from simulator.stripe_side.retries import FIRST_RETRY_DELAY
from simulator.stripe_side.settings import BillingSettings, FinalAction
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.simulator.stripe_account import Account, Event, recorded_account, the, types

INTERVAL = PERIOD_DAYS * DAY
RETRY_DAYS = (3, 5, 7)

BOUNDARY = Counter({"customer.subscription.updated": 1, "invoice.created": 1})
CHARGED = Counter(
    {
        "invoice.finalized": 1,
        "payment_intent.created": 1,
        "charge.succeeded": 1,
        "payment_intent.succeeded": 1,
        "invoice.updated": 1,
        "invoice.paid": 1,
        "invoice.payment_succeeded": 1,
        "invoice_payment.paid": 1,
    }
)
DECLINED = Counter(
    {
        "invoice.finalized": 1,
        "payment_intent.created": 1,
        "charge.failed": 1,
        "payment_intent.payment_failed": 1,
        "invoice.payment_failed": 1,
        "invoice.updated": 1,
        "customer.subscription.updated": 1,
    }
)
RETRY_DECLINED = Counter(
    {
        "charge.failed": 1,
        "payment_intent.payment_failed": 1,
        "invoice.payment_failed": 1,
        "invoice.updated": 1,
    }
)

OpenAccount = Callable[[BillingSettings], AbstractAsyncContextManager[Account]]


@pytest.fixture
def open_account(stripe_mock: StripeMockServer) -> OpenAccount:
    """`async with open_account(settings) as account`: a recorded account with those settings."""

    def opened(settings: BillingSettings) -> AbstractAsyncContextManager[Account]:
        return recorded_account(stripe_mock.url, DEFAULT_BILLING_MODE, settings)

    return opened


@pytest.fixture
async def subscriber(account: Account) -> Account:
    """A customer just subscribed to Basic with a Visa card; the Checkout events taken."""
    await account.subscribe("basic")
    return account


def period_of(subscription: Event) -> tuple[int, int]:
    item = subscription["data"]["object"]["items"]["data"][0]
    return item["current_period_start"], item["current_period_end"]


async def declined_renewal(account: Account) -> int:
    """Subscribe, let the card fail at the first renewal; returns the failed attempt's moment."""
    await account.subscribe("basic")
    account.customer.card_starts_declining()
    await account.customer.end_billing_period()
    failed = the("invoice.payment_failed", account.take())
    return int(failed["created"])


async def last_retry_fails(account: Account) -> list[Event]:
    """Every retry fails; returns the burst of the last one."""
    for _ in RETRY_DAYS[:-1]:
        await account.customer.retry_payment()
    account.take()
    await account.customer.retry_payment()
    return account.take()


# -- renewal -------------------------------------------------------------------------------


async def test_at_the_period_end_the_item_period_moves_on_and_a_draft_invoice_is_created(
    subscriber,
):
    await subscriber.customer.reach_period_end()
    events = subscriber.take()

    assert types(events) == BOUNDARY
    updated = the("customer.subscription.updated", events)
    start, end = period_of(updated)
    subscription = updated["data"]["object"]
    assert end - start == INTERVAL
    assert subscription["status"] == "active"
    invoice = the("invoice.created", events)["data"]["object"]
    assert subscription["latest_invoice"] == invoice["id"]
    assert set(updated["data"]["previous_attributes"]) == {"items", "latest_invoice"}
    old_start, old_end = (
        updated["data"]["previous_attributes"]["items"]["data"][0][key]
        for key in ("current_period_start", "current_period_end")
    )
    assert old_end == start
    assert (invoice["status"], invoice["billing_reason"]) == ("draft", "subscription_cycle")
    assert (invoice["number"], invoice["hosted_invoice_url"]) == (None, None)
    assert (invoice["period_start"], invoice["period_end"]) == (old_start, start)
    assert invoice["lines"]["data"][0]["period"] == {"start": start, "end": end}


async def test_the_renewal_invoice_is_finalized_and_charged_an_hour_after_the_draft(subscriber):
    await subscriber.customer.reach_period_end()
    boundary = period_of(the("customer.subscription.updated", subscriber.take()))[0]

    await subscriber.customer.collect_renewal()
    events = subscriber.take()

    assert types(events) == CHARGED
    assert {event["created"] for event in events} == {boundary + HOUR}
    finalized = the("invoice.finalized", events)["data"]["object"]
    assert finalized["status"] == "open"
    assert finalized["number"] is not None
    assert finalized["hosted_invoice_url"] is not None


async def test_the_draft_hour_counts_from_the_endpoints_acknowledgement_of_the_draft(
    subscriber,
):
    subscriber.endpoint.refuse("invoice.created", 1)
    await subscriber.customer.reach_period_end()
    boundary = period_of(the("customer.subscription.updated", subscriber.take()))[0]

    await subscriber.customer.collect_renewal()
    events = subscriber.take()

    acknowledged = boundary + FIRST_RETRY_DELAY  # Stripe's first retry of the refused draft
    assert the("invoice.created", events)["created"] == boundary
    assert the("invoice.finalized", events)["created"] == acknowledged + HOUR


async def test_a_draft_never_acknowledged_is_finalized_after_72_hours(subscriber):
    subscriber.endpoint.refuse("invoice.created", 100)
    await subscriber.customer.reach_period_end()
    boundary = period_of(the("customer.subscription.updated", subscriber.take()))[0]

    await subscriber.customer.collect_renewal()

    finalized = the("invoice.finalized", subscriber.take())
    assert finalized["created"] == boundary + 72 * HOUR


async def test_a_paid_renewal_leaves_the_invoice_paid_and_the_subscription_active(subscriber):
    await subscriber.customer.end_billing_period()
    events = subscriber.take()

    paid = the("invoice.paid", events)["data"]["object"]
    assert paid["status"] == "paid"
    assert paid["amount_paid"] == paid["amount_due"] == 900
    assert (paid["attempt_count"], paid["next_payment_attempt"]) == (1, None)
    assert paid["status_transitions"]["paid_at"] is not None
    assert [e["data"]["object"]["status"] for e in events if e["type"].startswith("customer.")] == [
        "active"
    ]


async def test_a_declined_renewal_leaves_the_invoice_open_with_its_next_attempt_and_the_subscription_past_due(  # noqa: E501
    subscriber,
):
    subscriber.customer.card_starts_declining()
    await subscriber.customer.reach_period_end()
    subscriber.take()

    await subscriber.customer.collect_renewal()
    events = subscriber.take()

    assert types(events) == DECLINED
    invoice = the("invoice.updated", events)["data"]["object"]
    attempted_at = the("invoice.payment_failed", events)["created"]
    assert (invoice["status"], invoice["attempt_count"], invoice["attempted"]) == ("open", 1, True)
    assert invoice["next_payment_attempt"] == attempted_at + RETRY_DAYS[0] * DAY
    updated = the("customer.subscription.updated", events)
    assert updated["data"]["object"]["status"] == "past_due"
    assert updated["data"]["previous_attributes"] == {"status": "active"}


# -- dunning ----------------------------------------------------------------------------------


async def test_each_retry_comes_on_the_schedule_and_moves_the_next_attempt_on(account):
    failed_at = await declined_renewal(account)

    attempts, moments, next_attempts = [], [], []
    for _ in RETRY_DAYS:
        await account.customer.retry_payment()
        events = account.take()
        invoice = the("invoice.updated", events)["data"]["object"]
        attempts.append(invoice["attempt_count"])
        moments.append(the("invoice.payment_failed", events)["created"])
        next_attempts.append(invoice["next_payment_attempt"])

    first = failed_at + 3 * DAY
    assert moments == [first, first + 5 * DAY, first + 12 * DAY]
    assert attempts == [2, 3, 4]
    assert next_attempts == [first + 5 * DAY, first + 12 * DAY, None]


async def test_a_retry_charges_the_invoices_payment_intent_again_with_a_new_charge(account):
    await account.subscribe("basic")
    account.customer.card_starts_declining()
    await account.customer.end_billing_period()
    first = account.take()

    await account.customer.retry_payment()
    retried = account.take()

    assert types(retried) == RETRY_DECLINED
    first_charge = the("charge.failed", first)["data"]["object"]
    second_charge = the("charge.failed", retried)["data"]["object"]
    assert second_charge["payment_intent"] == first_charge["payment_intent"]
    assert second_charge["id"] != first_charge["id"]


async def test_when_the_last_retry_fails_the_cancel_setting_ends_the_subscription(open_account):
    async with open_account(BillingSettings(RETRY_DAYS, "cancel")) as account:
        await declined_renewal(account)
        events = await last_retry_fails(account)

    deleted = the("customer.subscription.deleted", events)["data"]["object"]
    last_attempt = the("invoice.payment_failed", events)["created"]
    assert deleted["status"] == "canceled"
    assert deleted["ended_at"] == deleted["canceled_at"] == last_attempt
    assert deleted["cancellation_details"]["reason"] == "payment_failed"


async def test_when_the_last_retry_fails_the_unpaid_setting_marks_the_subscription_unpaid(
    open_account,
):
    async with open_account(BillingSettings(RETRY_DAYS, "unpaid")) as account:
        await declined_renewal(account)
        events = await last_retry_fails(account)

    updated = the("customer.subscription.updated", events)
    assert updated["data"]["object"]["status"] == "unpaid"
    assert updated["data"]["previous_attributes"] == {"status": "past_due"}


async def test_an_unpaid_subscription_renews_into_drafts_that_are_never_finalized(open_account):
    async with open_account(BillingSettings(RETRY_DAYS, "unpaid")) as account:
        await declined_renewal(account)
        await last_retry_fails(account)

        await account.customer.end_billing_period()
        events = account.take()

    assert types(events) == BOUNDARY
    assert the("invoice.created", events)["data"]["object"]["status"] == "draft"
    assert the("customer.subscription.updated", events)["data"]["object"]["status"] == "unpaid"


async def test_when_the_last_retry_fails_the_past_due_setting_changes_nothing_and_renewals_go_on(
    open_account,
):
    final_action: FinalAction = "past_due"
    async with open_account(BillingSettings(RETRY_DAYS, final_action)) as account:
        await declined_renewal(account)
        last_burst = await last_retry_fails(account)

        await account.customer.end_billing_period()
        renewal = account.take()

    assert types(last_burst) == RETRY_DECLINED
    assert "invoice.finalized" in types(renewal)
    assert "invoice.payment_failed" in types(renewal)


# -- trials -----------------------------------------------------------------------------------


async def test_the_trial_warning_comes_three_days_before_the_trial_ends(account):
    started = await account.subscribe("pro", trial_days=14)
    trial_end = the("customer.subscription.created", started)["data"]["object"]["trial_end"]

    await account.customer.end_trial()

    warning = the("customer.subscription.trial_will_end", account.take())
    assert warning["created"] == trial_end - 3 * DAY
    assert warning["data"]["object"]["status"] == "trialing"


async def test_a_trial_shorter_than_three_days_is_warned_about_as_it_starts(account):
    started = await account.subscribe("pro", trial_days=2)

    await account.customer.end_trial()

    assert "customer.subscription.trial_will_end" in types(started)
    assert "customer.subscription.trial_will_end" not in types(account.take())


async def test_a_trial_with_a_card_ends_like_a_renewal_and_the_subscription_becomes_active(
    account,
):
    started = await account.subscribe("pro", trial_days=14)
    trial_end = the("customer.subscription.created", started)["data"]["object"]["trial_end"]

    await account.customer.end_trial()
    events = account.take()

    updated = the("customer.subscription.updated", events)
    assert period_of(updated) == (trial_end, trial_end + INTERVAL)
    assert updated["data"]["object"]["status"] == "active"
    assert updated["data"]["previous_attributes"]["status"] == "trialing"
    created = the("invoice.created", events)
    assert created["data"]["object"]["billing_reason"] == "subscription_cycle"
    paid = the("invoice.paid", events)
    assert paid["created"] == trial_end + HOUR
    assert paid["data"]["object"]["amount_paid"] == 2900


async def test_a_trial_without_a_card_set_to_pause_pauses_and_bills_nothing(account):
    await account.start_trial_without_card("pause")
    account.take()

    await account.customer.end_trial()
    events = account.take()

    at_end = [event for event in events if event["type"] != "customer.subscription.trial_will_end"]
    assert types(at_end) == Counter(
        {"customer.subscription.updated": 1, "customer.subscription.paused": 1}
    )
    updated = the("customer.subscription.updated", at_end)
    assert updated["data"]["object"]["status"] == "paused"
    assert updated["data"]["previous_attributes"] == {"status": "trialing"}


async def test_a_trial_without_a_card_set_to_cancel_ends_at_the_trial_end(account):
    started = await account.start_trial_without_card("cancel")
    trial_end = the("customer.subscription.created", started)["data"]["object"]["trial_end"]

    await account.customer.end_trial()
    events = account.take()

    assert not [event for event in events if event["type"].startswith("invoice.")]
    deleted = the("customer.subscription.deleted", events)["data"]["object"]
    assert (deleted["status"], deleted["ended_at"]) == ("canceled", trial_end)


async def test_a_trial_without_a_card_set_to_create_invoice_finalizes_an_unpaid_invoice_and_falls_past_due(  # noqa: E501
    account,
):
    await account.start_trial_without_card("create_invoice")
    account.take()

    await account.customer.end_trial()
    events = account.take()

    assert not [
        event for event in events if event["type"].split(".")[0] in ("charge", "payment_intent")
    ]
    assert "invoice.payment_failed" not in types(events)
    finalized = the("invoice.finalized", events)["data"]["object"]
    assert (finalized["attempt_count"], finalized["next_payment_attempt"]) == (0, None)
    statuses = [
        (e["data"]["object"]["status"], e["data"]["previous_attributes"].get("status"))
        for e in events
        if e["type"] == "customer.subscription.updated"
    ]
    assert statuses == [("trialing", None), ("past_due", "trialing")]


# -- shapes -----------------------------------------------------------------------------------


async def test_the_billing_period_is_on_the_subscription_item_only(subscriber):
    await subscriber.customer.reach_period_end()

    subscription = the("customer.subscription.updated", subscriber.take())["data"]["object"]

    assert "current_period_end" not in subscription
    assert "current_period_end" in subscription["items"]["data"][0]


async def test_an_invoice_names_its_subscription_under_parent(subscriber):
    await subscriber.customer.reach_period_end()
    events = subscriber.take()

    invoice = the("invoice.created", events)["data"]["object"]

    assert "subscription" not in invoice
    assert invoice["parent"]["type"] == "subscription_details"
    assert (
        invoice["parent"]["subscription_details"]["subscription"]
        == (the("customer.subscription.updated", events)["data"]["object"]["id"])
    )


async def test_an_invoice_payment_links_the_paid_invoice_to_its_payment_intent(subscriber):
    await subscriber.customer.end_billing_period()
    events = subscriber.take()

    link = the("invoice_payment.paid", events)["data"]["object"]
    intent = the("payment_intent.succeeded", events)["data"]["object"]
    invoice = the("invoice.paid", events)["data"]["object"]
    charge = the("charge.succeeded", events)["data"]["object"]
    assert link["payment"] == {"type": "payment_intent", "payment_intent": intent["id"]}
    assert link["invoice"] == invoice["id"]
    assert "payment_intent" not in invoice
    assert "charge" not in invoice
    assert "invoice" not in charge
    assert "invoice" not in intent
