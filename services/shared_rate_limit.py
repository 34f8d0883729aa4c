"""The per-user session limit shared by every instance on one PostgreSQL database.

Each user has one row per fixed window (`session_rate_windows`), counted by one atomic
upsert-increment, so no lock is held between statements and no other server is needed. The
limit slides the way a sliding-window counter does: the previous window's calls still count
in proportion to how much of it the last `window` seconds overlap. Like the in-process limiter,
a refused call is not counted. Instances take the window from their own wall clock; clocks
that differ by a second move the edge of the window by as much.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from tortoise import connections

from services.connections import WRITE_CONNECTION
from services.models import SessionRateWindow
from services.rate_limit import WINDOW_SECONDS, too_many_calls

TABLE = SessionRateWindow._meta.db_table

# $1 user, $2 this window's start, $3 the previous window's start, $4 the share of the previous
# window the sliding window still overlaps, $5 the limit. The previous window's calls are read
# in the statement's own snapshot: no instance writes them any more.
_COUNT_ONE = f"""
WITH previous AS (
    SELECT COALESCE(MAX("calls"), 0) * $4::float8 AS carried
    FROM "{TABLE}" WHERE "user_id" = $1 AND "window_start" = $3
)
INSERT INTO "{TABLE}" ("user_id", "window_start", "calls")
SELECT $1, $2, 1 FROM previous WHERE previous.carried + 1 <= $5::float8
ON CONFLICT ("user_id", "window_start") DO UPDATE SET "calls" = "{TABLE}"."calls" + 1
WHERE "{TABLE}"."calls" + 1 + (SELECT carried FROM previous) <= $5::float8
RETURNING "calls"
"""  # noqa: S608 - the table name is the model's, every value is bound

_CALLS = f"""
SELECT "window_start", "calls" FROM "{TABLE}"
WHERE "user_id" = $1 AND "window_start" IN ($2, $3)
"""  # noqa: S608

_FORGET_BEFORE = f'DELETE FROM "{TABLE}" WHERE "window_start" < $1'  # noqa: S608


@dataclass(frozen=True, slots=True)
class Window:
    """Where `now` falls: the window's start and how far into it (0 to 1)."""

    start: int
    elapsed: float

    @classmethod
    def at(cls, now: float, seconds: float) -> Window:
        index = math.floor(now / seconds)
        return cls(start=int(index * seconds), elapsed=now / seconds - index)


def seconds_until_allowed(
    limit: int, previous: int, current: int, elapsed: float, window_seconds: float
) -> float:
    """How long until one more call fits, when `previous` and `current` calls were counted and
    `elapsed` (0 to 1) of the current window has passed."""
    if current + 1 <= limit:
        # The previous window's share shrinks as this one goes on.
        needed = 1 - (limit - current - 1) / previous if previous else 0.0
        return max(0.0, needed - elapsed) * window_seconds
    # Only once this window is the previous one, and enough of it has slid out.
    needed_next = 1 - (limit - 1) / current
    return (1 - elapsed + max(0.0, needed_next)) * window_seconds


class SharedWindowLimiter:
    def __init__(
        self,
        limit: int,
        window_seconds: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`limit` calls per `window_seconds` for each key, counted in the database; a limit
        of 0 turns the check off. `clock` is the wall clock (seconds), which instances share."""
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._swept_before = 0

    async def hit(self, key: str) -> None:
        """Count one call for `key`, or raise RATE_LIMITED when its window is already full."""
        if self.limit <= 0:
            return
        window = Window.at(self._clock(), self.window_seconds)
        previous_start = int(window.start - self.window_seconds)
        database = connections.get(WRITE_CONNECTION)
        await self._forget_old_windows(previous_start)
        _, counted = await database.execute_query(
            _COUNT_ONE,
            [key, window.start, previous_start, 1 - window.elapsed, self.limit],
        )
        if counted:
            return
        _, rows = await database.execute_query(_CALLS, [key, window.start, previous_start])
        calls = {row["window_start"]: row["calls"] for row in rows}
        wait = seconds_until_allowed(
            self.limit,
            calls.get(previous_start, 0),
            calls.get(window.start, 0),
            window.elapsed,
            self.window_seconds,
        )
        raise too_many_calls(wait)

    async def _forget_old_windows(self, previous_start: int) -> None:
        """Rows older than the previous window count no more: each instance deletes them once
        per window, so the table holds the users of the last two windows only."""
        if previous_start <= self._swept_before:
            return
        self._swept_before = previous_start
        await connections.get(WRITE_CONNECTION).execute_query(_FORGET_BEFORE, [previous_start])
