"""The simulated clock: Stripe timestamps that move only when the journey says time passes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

DAY = 86_400
# Every journey starts here, so timestamps (and the days the report shows) repeat exactly.
EPOCH = int(datetime(2026, 11, 1, tzinfo=UTC).timestamp())


@dataclass
class SimClock:
    """Seconds since the Unix epoch, on a journey's own time line.

    `tick` moves one second per Stripe event, so two events about one object never share a
    `created` second and a service that keeps the newest snapshot can always tell them apart.
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
