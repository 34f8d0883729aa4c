"""What a workload must reach: a throughput ratio to its floor, and bounds of its own.

The ratio is judged against a floor measured in the same run, so it holds on any machine; the
absolute bounds (throughput, p99) are the ones the project set for the machine it is built on,
and say so in the report when they are missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.bench.stats import Summary


@dataclass(frozen=True, slots=True)
class Goal:
    ratio: float
    """Service throughput over its floor's, at least."""
    min_throughput: float | None = None
    """Requests per second, at least."""
    max_p99_ms: float | None = None
    max_p99_over_floor: float | None = None
    """The service's p99 over its floor's, at most: waiting in the service's own queues shows
    here before it shows in throughput."""
    lossless: bool = False
    """Every accepted event stored and applied."""

    def misses(
        self,
        service: Summary,
        floor: Summary | None,
        ratio: float | None,
        lost_events: int | None,
    ) -> list[str]:
        """One line per part of the goal the measurement missed; empty when it is met."""
        missed = []
        if ratio is None or ratio < self.ratio:
            missed.append(f"ratio below {self.ratio:g}")
        if self.min_throughput is not None and service.throughput < self.min_throughput:
            missed.append(f"throughput below {self.min_throughput:g}/s")
        if self.max_p99_ms is not None and service.p99_ms >= self.max_p99_ms:
            missed.append(f"p99 not under {self.max_p99_ms:g} ms")
        if self.max_p99_over_floor is not None and (
            floor is None or service.p99_ms > self.max_p99_over_floor * floor.p99_ms
        ):
            missed.append(f"p99 above {self.max_p99_over_floor:g}x the floor's")
        if self.lossless and lost_events != 0:
            missed.append("events lost")
        return missed

    def as_json(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "min_throughput": self.min_throughput,
            "max_p99_ms": self.max_p99_ms,
            "max_p99_over_floor": self.max_p99_over_floor,
            "lossless": self.lossless,
        }
