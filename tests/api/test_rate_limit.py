"""The in-process sliding window behind RATE_LIMITED (SQLite), on a clock the test controls."""

from __future__ import annotations

import pytest

from services.errors import RateLimited
from services.rate_limit import SlidingWindowLimiter
from tests.support import ManualClock


async def test_calls_over_the_limit_in_a_window_are_rate_limited():
    limiter = SlidingWindowLimiter(2, window_seconds=60, clock=ManualClock())
    await limiter.hit("user-1")
    await limiter.hit("user-1")

    with pytest.raises(RateLimited):
        await limiter.hit("user-1")


async def test_each_user_has_their_own_window():
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=ManualClock())
    await limiter.hit("user-1")

    await limiter.hit("user-2")


async def test_the_window_slides():
    clock = ManualClock()
    limiter = SlidingWindowLimiter(2, window_seconds=60, clock=clock)
    await limiter.hit("user-1")
    clock.now += 30
    await limiter.hit("user-1")
    clock.now += 31

    await limiter.hit("user-1")
    with pytest.raises(RateLimited):
        await limiter.hit("user-1")


async def test_a_refused_call_does_not_use_up_the_window():
    clock = ManualClock()
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=clock)
    await limiter.hit("user-1")
    with pytest.raises(RateLimited):
        await limiter.hit("user-1")
    clock.now += 61

    await limiter.hit("user-1")


async def test_a_limit_of_zero_turns_the_check_off():
    limiter = SlidingWindowLimiter(0, clock=ManualClock())

    for _ in range(1000):
        await limiter.hit("user-1")


async def test_idle_users_are_forgotten(monkeypatch):
    monkeypatch.setattr("services.rate_limit.SWEEP_THRESHOLD", 10)
    clock = ManualClock()
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=clock)
    for index in range(10):
        await limiter.hit(f"user-{index}")
    clock.now += 61

    await limiter.hit("late-user")

    assert limiter._calls.keys() == {"late-user"}
