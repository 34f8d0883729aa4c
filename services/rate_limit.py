"""A per-user limit on the calls that create Stripe sessions or confirm one.

Each costs a Stripe API call (and Stripe rate-limits the whole account), so one user
looping on the button must not spend the budget of everyone else. `SlidingWindowLimiter` keeps
the window in this process, which is the whole service on SQLite (one instance); instances that
share a PostgreSQL database share the limit through it (services.shared_rate_limit).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

from services.errors import RateLimited

# Past this many tracked users, forget the ones whose window has emptied (bounded memory).
SWEEP_THRESHOLD = 10_000
WINDOW_SECONDS = 60.0


class SessionLimiter(Protocol):
    async def hit(self, key: str) -> None:
        """Count one call for `key`, or raise RATE_LIMITED when its window is already full."""
        ...


def too_many_calls(retry_in_seconds: float) -> RateLimited:
    """The refusal, telling the caller when to try again (in whole seconds, at least one)."""
    retry_in = max(1, math.ceil(retry_in_seconds))
    return RateLimited(f"Too many requests; try again in {retry_in} s.")


class SlidingWindowLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`limit` calls per `window_seconds` for each key; a limit of 0 turns the check off."""
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}

    async def hit(self, key: str) -> None:
        """Count one call for `key`, or raise RATE_LIMITED when its window is already full."""
        if self.limit <= 0:
            return
        now = self._clock()
        calls = self._calls.setdefault(key, deque())
        _forget_before(calls, now - self.window_seconds)
        if len(calls) >= self.limit:
            raise too_many_calls(calls[0] + self.window_seconds - now)
        calls.append(now)
        if len(self._calls) > SWEEP_THRESHOLD:
            self._sweep(now)

    def _sweep(self, now: float) -> None:
        for key in list(self._calls):
            calls = self._calls[key]
            _forget_before(calls, now - self.window_seconds)
            if not calls:
                del self._calls[key]


def _forget_before(calls: deque[float], cutoff: float) -> None:
    while calls and calls[0] <= cutoff:
        calls.popleft()
