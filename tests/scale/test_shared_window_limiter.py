"""The session limit counted in PostgreSQL, which every instance shares (a sliding-window
counter: one row per user and window), on a wall clock the test controls."""

from __future__ import annotations

import asyncio

import pytest

from services.errors import RateLimited
from services.models import SessionRateWindow
from services.shared_rate_limit import SharedWindowLimiter
from tests.support import ManualClock

pytestmark = pytest.mark.postgres_only

WINDOW_START = 1_800_000_000.0  # a window's first second


async def accepted(limiter: SharedWindowLimiter, key: str, calls: int) -> int:
    """How many of `calls` calls for `key` were let through."""
    let_through = 0
    for _ in range(calls):
        try:
            await limiter.hit(key)
        except RateLimited:
            continue
        let_through += 1
    return let_through


async def test_calls_over_the_limit_in_a_window_are_rate_limited(database):
    limiter = SharedWindowLimiter(2, window_seconds=60, clock=ManualClock(WINDOW_START))
    await limiter.hit("user-1")
    await limiter.hit("user-1")

    with pytest.raises(RateLimited):
        await limiter.hit("user-1")


async def test_instances_share_the_count(database):
    clock = ManualClock(WINDOW_START)
    first, second = (SharedWindowLimiter(3, window_seconds=60, clock=clock) for _ in range(2))

    assert await accepted(first, "user-1", 2) == 2
    assert await accepted(second, "user-1", 5) == 1
    assert await accepted(first, "user-1", 1) == 0


async def test_calls_made_at_once_on_two_instances_stay_within_the_limit(database):
    clock = ManualClock(WINDOW_START)
    first, second = (SharedWindowLimiter(5, window_seconds=60, clock=clock) for _ in range(2))

    outcomes = await asyncio.gather(
        *(limiter.hit("user-1") for limiter in (first, second) * 10), return_exceptions=True
    )

    assert sum(outcome is None for outcome in outcomes) == 5
    assert all(isinstance(o, RateLimited) for o in outcomes if o is not None)


async def test_each_user_has_their_own_window(database):
    limiter = SharedWindowLimiter(1, window_seconds=60, clock=ManualClock(WINDOW_START))
    await limiter.hit("user-1")

    await limiter.hit("user-2")


async def test_the_previous_window_counts_as_much_as_it_overlaps_the_last_minute(database):
    clock = ManualClock(WINDOW_START)
    limiter = SharedWindowLimiter(4, window_seconds=60, clock=clock)
    assert await accepted(limiter, "user-1", 4) == 4

    clock.now += 60 + 30  # half of the previous window still counts: 2 of its 4 calls
    assert await accepted(limiter, "user-1", 5) == 2
    clock.now += 15  # a quarter of it (1 call), and the 2 calls of this window
    assert await accepted(limiter, "user-1", 5) == 1


async def test_a_refused_call_does_not_use_up_the_window(database):
    clock = ManualClock(WINDOW_START)
    limiter = SharedWindowLimiter(1, window_seconds=60, clock=clock)
    await limiter.hit("user-1")
    assert await accepted(limiter, "user-1", 10) == 0

    clock.now += 120

    await limiter.hit("user-1")


async def test_the_refusal_says_when_a_call_fits_again(database):
    clock = ManualClock(WINDOW_START)
    limiter = SharedWindowLimiter(2, window_seconds=60, clock=clock)
    await accepted(limiter, "user-1", 2)
    clock.now += 45

    with pytest.raises(RateLimited, match=r"try again in 45 s"):
        await limiter.hit("user-1")


async def test_a_limit_of_zero_turns_the_check_off(database):
    limiter = SharedWindowLimiter(0, clock=ManualClock(WINDOW_START))

    assert await accepted(limiter, "user-1", 100) == 100
    assert await SessionRateWindow.all().count() == 0


async def test_windows_before_the_previous_one_are_deleted(database):
    clock = ManualClock(WINDOW_START)
    limiter = SharedWindowLimiter(5, window_seconds=60, clock=clock)
    await limiter.hit("user-1")
    clock.now += 60
    await limiter.hit("user-2")
    clock.now += 60

    await limiter.hit("user-3")

    rows = await SessionRateWindow.all().order_by("window_start")
    assert [row.user_id for row in rows] == ["user-2", "user-3"]
