"""The simulated clock: Stripe timestamps that move only when the journey says time passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

DAY = 86_400
HOUR = 3_600
# Every journey starts here, so timestamps (and the days the report shows) repeat exactly.
EPOCH = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())


@dataclass
class SimClock:
    """Seconds since the Unix epoch, on a journey's own time line.

    Every event of one action is stamped `now`: Stripe generates an action's burst within about
    a second, so its events share `created` and a service cannot order them by it. Once a burst
    is out, `tick` moves on one second, so the next action happens in a later second, as a
    person's next click does.
    """

    now: int = EPOCH

    def tick(self) -> int:
        self.now += 1
        return self.now

    def advance_to(self, moment: int) -> None:
        self.now = max(self.now, moment)

    def advance_days(self, days: int) -> None:
        self.now += days * DAY

    def day_of(self, moment: int) -> int:
        """Whole days since the journey began: what reports show instead of dates."""
        return (moment - EPOCH) // DAY
