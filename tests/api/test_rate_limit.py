"""The sliding window behind RATE_LIMITED, on a clock the test controls."""

from __future__ import annotations

import pytest

from services.errors import RateLimited
from services.rate_limit import SlidingWindowLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_calls_over_the_limit_in_a_window_are_rate_limited():
    limiter = SlidingWindowLimiter(2, window_seconds=60, clock=Clock())
    limiter.hit("user-1")
    limiter.hit("user-1")

    with pytest.raises(RateLimited):
        limiter.hit("user-1")


def test_each_user_has_their_own_window():
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=Clock())
    limiter.hit("user-1")

    limiter.hit("user-2")


def test_the_window_slides():
    clock = Clock()
    limiter = SlidingWindowLimiter(2, window_seconds=60, clock=clock)
    limiter.hit("user-1")
    clock.now += 30
    limiter.hit("user-1")
    clock.now += 31

    limiter.hit("user-1")
    with pytest.raises(RateLimited):
        limiter.hit("user-1")


def test_a_refused_call_does_not_use_up_the_window():
    clock = Clock()
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=clock)
    limiter.hit("user-1")
    with pytest.raises(RateLimited):
        limiter.hit("user-1")
    clock.now += 61

    limiter.hit("user-1")


def test_a_limit_of_zero_turns_the_check_off():
    limiter = SlidingWindowLimiter(0, clock=Clock())

    for _ in range(1000):
        limiter.hit("user-1")


def test_idle_users_are_forgotten(monkeypatch):
    monkeypatch.setattr("services.rate_limit.SWEEP_THRESHOLD", 10)
    clock = Clock()
    limiter = SlidingWindowLimiter(1, window_seconds=60, clock=clock)
    for index in range(10):
        limiter.hit(f"user-{index}")
    clock.now += 61

    limiter.hit("late-user")

    assert limiter._calls.keys() == {"late-user"}
