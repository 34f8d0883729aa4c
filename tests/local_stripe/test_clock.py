"""The test-clock control: advancing the local Stripe's time makes billing happen."""

from __future__ import annotations

from datetime import datetime

import pytest

from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.clock import LiveClock
from simulator.local_stripe.errors import ActionRefused
from tests.local_stripe.conftest import Stand

VISA = CardInput("4242424242424242")
DAY = 86_400


def _moment(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


async def test_advancing_the_clock_renews_the_subscription(stand: Stand) -> None:
    user = stand.user()
    await stand.local.complete_checkout((await stand.subscribe(user))["id"], VISA)
    first_end = _moment((await user.viewer())["subscriptions"][0]["currentPeriodEnd"])

    answer = await stand.http.post(f"{stand.stripe_url}/_local/clock/advance", data={"days": 31})

    assert answer.status_code == 200
    viewer = await user.viewer()
    assert _moment(viewer["subscriptions"][0]["currentPeriodEnd"]) == first_end + 30 * DAY
    assert [invoice["status"] for invoice in viewer["invoices"]] == ["paid", "paid"]


async def test_a_trial_ends_when_the_clock_reaches_it(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user, trialDays=7)
    await stand.local.complete_checkout(session["id"], VISA)

    await stand.http.post(f"{stand.stripe_url}/_local/clock/advance", json={"days": 8})

    [subscription] = (await user.viewer())["subscriptions"]
    assert subscription["status"] == "ACTIVE"


async def test_a_cancellation_at_period_end_ends_the_subscription_then(stand: Stand) -> None:
    admin = stand.admin()
    await admin.configure_customer_portal(
        [p["priceId"] for p in await stand.user().plans() if p["interval"] == "month"]
    )
    block = await admin.save_portal_block("Billing", "https://localhost/account")
    user = stand.user()
    await stand.local.complete_checkout((await stand.subscribe(user))["id"], VISA)
    portal = await user.create_portal_session(block["id"], None)
    await stand.local.cancel_subscription(portal["id"])

    await stand.local.advance_by(31 * DAY)

    viewer = await user.viewer()
    assert viewer["hasActiveSubscription"] is False
    assert [invoice["status"] for invoice in viewer["invoices"]] == ["paid"]


async def test_an_unpaid_checkout_session_expires_after_a_day(stand: Stand) -> None:
    session = await stand.subscribe(stand.user())

    await stand.local.advance_by(25 * 3_600)

    with pytest.raises(ActionRefused, match="expired"):
        await stand.local.complete_checkout(session["id"], VISA)


async def test_advancing_needs_to_say_how_far(stand: Stand) -> None:
    answer = await stand.http.post(f"{stand.stripe_url}/_local/clock/advance", data={})

    assert answer.status_code == 400


async def test_the_clock_says_what_time_it_is(stand: Stand) -> None:
    answer = await stand.http.get(f"{stand.stripe_url}/_local/clock")

    assert abs(answer.json()["now"] - stand.local.clock.now) <= 1


def test_the_live_clock_follows_the_wall_clock() -> None:
    wall = [1_000.0]
    clock = LiveClock(lambda: wall[0])
    wall[0] += 5

    assert clock.now == 1_005


def test_advancing_the_live_clock_jumps_and_keeps_running() -> None:
    wall = [1_000.0]
    clock = LiveClock(lambda: wall[0])
    clock.advance_to(5_000)
    wall[0] += 10

    assert clock.now == 5_010


def test_the_live_clock_never_goes_back() -> None:
    clock = LiveClock(lambda: 1_000.0)
    clock.advance_to(500)

    assert clock.now == 1_000


def test_a_tick_moves_to_a_later_second_without_running_ahead() -> None:
    wall = [1_000.0]
    clock = LiveClock(lambda: wall[0])
    clock.tick()
    assert clock.now == 1_001
    wall[0] += 5

    assert clock.now == 1_005


def test_a_jump_after_a_tick_lands_exactly_on_its_moment() -> None:
    clock = LiveClock(lambda: 1_000.0)
    clock.tick()
    clock.advance_to(2_000)

    assert clock.now == 2_000
