"""How the simulated Stripe delivers events: an action's burst in one second, in the endpoint's
API version, signed like Stripe signs, and retried on Stripe's schedule until acknowledged.
"""

from __future__ import annotations

import json
import random

import stripe

from simulator.billing_modes import DEFAULT_BILLING_MODE
from simulator.stripe_side.clock import DAY, HOUR
from simulator.stripe_side.webhooks import Chaos
from simulator.toolkit.versions import stripe_sdk_api_version
from tests.simulator.stripe_account import (
    CUSTOMER_ID,
    SUCCESS_URL,
    WEBHOOK_SECRET,
    Account,
    Event,
    recorded_account,
    the,
)

ACACIA = "2025-02-24.acacia"
BEFORE_BILLING_MODE = "2025-05-28.basil"


def _attempts_of(account: Account, event_type: str) -> list[int]:
    """The moments (on the customer's clock) at which events of `event_type` were POSTed."""
    return [
        moment
        for moment, request in account.endpoint.attempts
        if json.loads(request.content)["type"] == event_type
    ]


async def _checkout_events(stripe_mock_url: str, api_version: str) -> list[Event]:
    """What a Checkout subscription to Basic sends an endpoint on `api_version`."""
    async with recorded_account(
        stripe_mock_url, DEFAULT_BILLING_MODE, api_version=api_version
    ) as account:
        return await account.subscribe()


async def _customer_created(account: Account) -> None:
    await account.customer.customer_created(CUSTOMER_ID, "user-1", "one@example.com")


async def test_the_events_of_one_action_share_their_created_second(account):
    events = await account.subscribe()

    assert len(events) > 5
    assert len({event["created"] for event in events}) == 1


async def test_the_next_action_happens_in_a_later_second(account):
    checkout = await account.subscribe()
    visit = await account.portal()

    await visit.cancel(at_period_end=True)

    assert account.take()[0]["created"] > checkout[0]["created"]


async def test_events_carry_the_sdks_api_version_by_default(account):
    events = await account.subscribe()

    assert {event["api_version"] for event in events} == {stripe_sdk_api_version()}


async def test_a_completed_checkout_says_it_was_on_stripes_hosted_page(account):
    events = await account.subscribe()

    session = the("checkout.session.completed", events)["data"]["object"]
    assert session["ui_mode"] == "hosted_page"
    assert (session["success_url"], session["return_url"]) == (SUCCESS_URL, None)


async def test_an_endpoint_before_the_ui_modes_were_renamed_reads_hosted(stripe_mock):
    events = await _checkout_events(stripe_mock.url, ACACIA)

    assert the("checkout.session.completed", events)["data"]["object"]["ui_mode"] == "hosted"


async def test_an_endpoint_on_an_older_version_gets_the_periods_on_the_subscription(stripe_mock):
    events = await _checkout_events(stripe_mock.url, ACACIA)

    subscription = the("customer.subscription.created", events)["data"]["object"]
    assert {event["api_version"] for event in events} == {ACACIA}
    assert subscription["current_period_end"] > subscription["current_period_start"]
    assert "current_period_end" not in subscription["items"]["data"][0]
    assert "billing_mode" not in subscription


async def test_an_endpoint_on_an_older_version_gets_the_subscription_on_the_invoice(stripe_mock):
    events = await _checkout_events(stripe_mock.url, ACACIA)

    subscription = the("customer.subscription.created", events)["data"]["object"]
    [item] = subscription["items"]["data"]
    invoice = the("invoice.paid", events)["data"]["object"]
    [line] = invoice["lines"]["data"]
    assert (invoice["subscription"], invoice["paid"]) == (subscription["id"], True)
    assert "parent" not in invoice
    assert (line["type"], line["price"]["id"]) == ("subscription", item["price"]["id"])
    assert "pricing" not in line


async def test_an_endpoint_between_basil_and_billing_mode_gets_item_periods_only(stripe_mock):
    events = await _checkout_events(stripe_mock.url, BEFORE_BILLING_MODE)

    subscription = the("customer.subscription.created", events)["data"]["object"]
    assert "billing_mode" not in subscription
    assert "current_period_end" not in subscription
    assert "current_period_end" in subscription["items"]["data"][0]


async def test_a_delivery_is_signed_v1_with_the_endpoint_secret_and_a_test_mode_v0(account):
    await account.subscribe()

    _, request = account.endpoint.attempts[0]
    header = request.headers["stripe-signature"]
    stripe.Webhook.construct_event(request.content.decode(), header, WEBHOOK_SECRET)
    schemes = dict(part.split("=", 1) for part in header.split(","))
    assert list(schemes) == ["t", "v1", "v0"]
    assert schemes["v0"] != schemes["v1"]


async def test_a_4xx_answer_is_retried_on_stripes_schedule_for_three_days(account):
    account.endpoint.refuse("customer.created", 100, status=404)
    await _customer_created(account)

    await account.customer.time_passes(5 * DAY)

    first, *retries = _attempts_of(account, "customer.created")
    hours = [(moment - first) / HOUR for moment in retries]
    assert hours == [1, 3, 7, 15, 31, 63]


async def test_a_redirect_is_a_failure_stripe_retries(account):
    account.endpoint.refuse("customer.created", 1, status=302)
    await _customer_created(account)

    await account.customer.time_passes(DAY)

    first, retry = _attempts_of(account, "customer.created")
    assert retry - first == HOUR


async def test_a_retry_that_is_acknowledged_ends_the_retries(account):
    account.endpoint.refuse("customer.created", 1)
    await _customer_created(account)

    await account.customer.time_passes(5 * DAY)

    assert len(_attempts_of(account, "customer.created")) == 2
    assert [event["type"] for event in account.take()] == ["customer.created"]


async def test_a_retry_waits_for_its_moment_on_the_simulated_clock(account):
    account.endpoint.refuse("customer.created", 1)
    await _customer_created(account)

    await account.customer.time_passes(HOUR - 60)

    assert len(_attempts_of(account, "customer.created")) == 1


async def test_each_failed_attempt_is_a_problem_of_the_step_it_happens_in(account):
    account.endpoint.refuse("customer.created", 2, status=404)
    await _customer_created(account)
    first = account.customer.log.take().problems

    await account.customer.time_passes(2 * HOUR)

    assert first == ["webhook customer.created was answered 404, expected 200"]
    assert account.customer.log.take().problems == [
        "Stripe's retry 1 of webhook customer.created was answered 404, expected 200"
    ]


async def test_stripe_gives_up_after_three_days_and_the_step_says_so(account):
    account.endpoint.refuse("customer.created", 100, status=500)
    await _customer_created(account)

    await account.customer.time_passes(5 * DAY)

    assert account.customer.log.take().problems[-1] == (
        "Stripe stopped retrying webhook customer.created: not acknowledged within three days"
    )


async def test_a_forged_delivery_answered_400_is_not_retried(stripe_mock):
    chaos = Chaos(random.Random("forged"))
    async with recorded_account(stripe_mock.url, DEFAULT_BILLING_MODE, chaos=chaos) as account:
        account.endpoint.refuse("customer.created", 100, status=400)
        await _customer_created(account)
        await account.customer.time_passes(5 * DAY)

    bodies = [request.content for _, request in account.endpoint.attempts]
    forged = [body for body in bodies if not _genuine(body, account)]
    assert len(forged) == 1
    assert bodies.count(forged[0]) == 1
    assert max(bodies.count(body) for body in bodies) >= 7  # the genuine event: 1 + 6 retries


def _genuine(body: bytes, account: Account) -> bool:
    header = next(
        r.headers["stripe-signature"] for _, r in account.endpoint.attempts if r.content == body
    )
    try:
        stripe.Webhook.construct_event(body.decode(), header, WEBHOOK_SECRET)
    except (stripe.SignatureVerificationError, ValueError):
        return False
    return True
