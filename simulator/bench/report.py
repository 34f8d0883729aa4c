"""What a bench run found: one result per workload, printed as a table and written as JSON."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from simulator.bench.goals import Goal
from simulator.bench.stats import Summary

CPU_KEYS = ("service_cpu_ms_per_request", "floor_cpu_ms_per_request")


@dataclass(frozen=True, slots=True)
class WorkloadResult:
    name: str
    description: str
    service: Summary
    baseline: Summary | None = None
    baseline_description: str | None = None
    goal: Goal | None = None
    peak_rss_mib: float | None = None
    details: dict[str, Any] = field(default_factory=dict)
    reference: Summary | None = None
    """A further floor, measured in the same rounds and reported, never judged."""
    reference_description: str | None = None

    @property
    def ratio(self) -> float | None:
        """Service throughput over its floor's, both measured in this run."""
        if self.baseline is None or self.baseline.throughput <= 0:
            return None
        return self.service.throughput / self.baseline.throughput

    @property
    def p99_over_floor(self) -> float | None:
        """Service p99 over its floor's, both measured in this run."""
        if self.baseline is None or self.baseline.p99_ms <= 0:
            return None
        return self.service.p99_ms / self.baseline.p99_ms

    @property
    def goals_missed(self) -> list[str] | None:
        if self.goal is None:
            return None
        lost_events = self.details.get("lost_events")
        return self.goal.misses(self.service, self.baseline, self.ratio, lost_events)

    @property
    def goal_met(self) -> bool | None:
        missed = self.goals_missed
        return None if missed is None else not missed

    def as_json(self) -> dict[str, Any]:
        ratio, p99_ratio = self.ratio, self.p99_over_floor
        return {
            "name": self.name,
            "description": self.description,
            "service": self.service.as_json(),
            "baseline": None if self.baseline is None else self.baseline.as_json(),
            "baseline_description": self.baseline_description,
            "reference": None if self.reference is None else self.reference.as_json(),
            "reference_description": self.reference_description,
            "ratio": None if ratio is None else round(ratio, 3),
            "p99_over_floor": None if p99_ratio is None else round(p99_ratio, 3),
            "goal": None if self.goal is None else self.goal.ratio,
            "goals": None if self.goal is None else self.goal.as_json(),
            "goal_met": self.goal_met,
            "goals_missed": self.goals_missed,
            "peak_rss_mib": None if self.peak_rss_mib is None else round(self.peak_rss_mib, 1),
            **self.details,
        }


def machine() -> dict[str, Any]:
    """Enough about the machine to read the numbers: they are only comparable within a run."""
    cpu_model = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    cpu_model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


@dataclass(frozen=True, slots=True)
class BenchReport:
    options: dict[str, Any]
    results: list[WorkloadResult]
    machine: dict[str, Any] = field(default_factory=machine)

    def as_json(self) -> dict[str, Any]:
        return {
            "machine": self.machine,
            "options": self.options,
            "workloads": [result.as_json() for result in self.results],
        }

    @property
    def goals_met(self) -> bool:
        return all(result.goal_met is not False for result in self.results)

    def print(self, console: Console) -> None:
        table = Table(title="billing-portal bench (throughput in requests/s, latency in ms)")
        for column in ("workload", "req/s", "p50", "p99", "floor req/s", "floor p50", "floor p99"):
            table.add_column(column, justify="left" if column == "workload" else "right")
        table.add_column("ratio (goal)", justify="right")
        table.add_column("CPU ms/req (floor)", justify="right")
        table.add_column("peak RSS MiB", justify="right")
        for result in self.results:
            table.add_row(result.name, *_row_numbers(result))
        console.print(table)
        for result in self.results:
            floor = f" vs {result.baseline_description}" if result.baseline_description else ""
            extra = ", ".join(
                f"{key}={value}" for key, value in result.details.items() if key not in CPU_KEYS
            )
            console.print(f"[bold]{result.name}[/]: {result.description}{floor}. {extra}".strip())
            if result.reference is not None:
                reference = result.reference
                console.print(
                    f"  for reference, {result.reference_description}: "
                    f"{reference.throughput:.1f} req/s, p50 {reference.p50_ms:.2f} ms, "
                    f"p99 {reference.p99_ms:.2f} ms"
                )
            if result.goals_missed:
                console.print(f"  [red]goal missed[/]: {'; '.join(result.goals_missed)}")


def _row_numbers(result: WorkloadResult) -> list[str]:
    service, baseline, ratio = result.service, result.baseline, result.ratio
    cells = [f"{service.throughput:.1f}", f"{service.p50_ms:.2f}", f"{service.p99_ms:.2f}"]
    if baseline is None:
        cells += ["-", "-", "-"]
    else:
        cells += [f"{baseline.throughput:.1f}", f"{baseline.p50_ms:.2f}", f"{baseline.p99_ms:.2f}"]
    if ratio is None:
        cells.append("-")
    else:
        mark = "[green]" if result.goal_met else "[red]"
        goal = "" if result.goal is None else f" (≥{result.goal.ratio:g})"
        cells.append(f"{mark}{ratio:.2f}[/]{goal}")
    service_cpu, floor_cpu = (result.details.get(key) for key in CPU_KEYS)
    cells.append("-" if service_cpu is None else f"{service_cpu:.2f} ({floor_cpu or '-'})")
    cells.append("-" if result.peak_rss_mib is None else f"{result.peak_rss_mib:.0f}")
    return cells
