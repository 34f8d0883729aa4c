"""Latency samples and their summary: the numbers every workload and baseline report."""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Summary:
    """One side of a comparison, in the units the report prints."""

    requests: int
    errors: int
    seconds: float
    throughput: float
    p50_ms: float
    p99_ms: float

    def as_json(self) -> dict[str, float | int]:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "throughput": round(self.throughput, 2),
            "p50_ms": round(self.p50_ms, 3),
            "p99_ms": round(self.p99_ms, 3),
        }


@dataclass(slots=True)
class Samples:
    """What a load run recorded in its measuring window (warm-up requests are not in it)."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    accepted_total: int = 0
    """Successful requests including warm-up: what the server must have stored."""
    sent_total: int = 0
    """Every request including warm-up: what the server's CPU time was spent on."""
    server_cpu_seconds: float | None = None
    """CPU the loaded server used meanwhile, when it is a process the bench started."""

    def add(self, other: Samples) -> None:
        """Fold in another round of the same load."""
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.accepted_total += other.accepted_total
        self.sent_total += other.sent_total
        if other.server_cpu_seconds is not None:
            self.server_cpu_seconds = (self.server_cpu_seconds or 0.0) + other.server_cpu_seconds

    def server_cpu_ms_per_request(self) -> float | None:
        """Warm-up included on both sides of the division."""
        if self.server_cpu_seconds is None or not self.sent_total:
            return None
        return round(self.server_cpu_seconds * 1000 / self.sent_total, 3)

    def summary(self) -> Summary:
        ordered = sorted(self.latencies)
        count = len(ordered)
        return Summary(
            requests=count,
            errors=self.errors,
            seconds=self.seconds,
            throughput=count / self.seconds if self.seconds > 0 else 0.0,
            p50_ms=percentile(ordered, 0.50) * 1000,
            p99_ms=percentile(ordered, 0.99) * 1000,
        )


def percentile(ordered: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (0.0 for no values)."""
    if not ordered:
        return 0.0
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]
