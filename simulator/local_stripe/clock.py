"""The local Stripe's time: the wall clock, moved forward on demand like a Stripe test clock.

The scripted journeys run on a `SimClock` that moves only when told. A local Stripe that a
person clicks through should show today's dates, so this clock follows the wall clock; when a
test or a developer advances it (to reach a renewal, a trial's end, a payment retry), it jumps
ahead and keeps running from there. It never goes back.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from simulator.stripe_side.clock import SimClock


class LiveClock(SimClock):
    """Unix seconds: the wall clock plus every jump it was asked to make."""

    def __init__(self, wall: Callable[[], float] = time.time) -> None:
        self._wall = wall
        self._offset = 0
        # `tick` promises the next moment is a later second without making the clock run
        # ahead of the wall: it raises this floor, which the wall soon overtakes.
        self._floor = 0

    @property
    def now(self) -> int:
        return max(self._floor, int(self._wall()) + self._offset)

    @now.setter
    def now(self, moment: int) -> None:
        """Setting a later moment is a jump (the clock runs on from there); an earlier one is
        ignored."""
        if moment > self.now:
            self._offset = moment - int(self._wall())

    def tick(self) -> int:
        self._floor = self.now + 1
        return self._floor
