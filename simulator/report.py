"""What a run found, as JSON for tools and JUnit XML for CI.

Everything outside `duration_ms`/`timings` is decided by the seed: ids appear only as roles and
dates as journey days, so `to_json(timings=False)` of two runs with one seed is byte-identical.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.stripe_side.webhooks import DeliveryLog


@dataclass
class StepResult:
    description: str
    expected: dict[str, Any]
    deliveries: DeliveryLog
    failures: list[str] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures

    def to_dict(self, *, timings: bool) -> dict[str, Any]:
        result: dict[str, Any] = {
            "step": self.description,
            "passed": self.passed,
            "expected": self.expected,
            "webhooks": {
                "events": self.deliveries.events,
                "duplicates": self.deliveries.duplicates,
                "forged_rejected": self.deliveries.forged_rejected,
            },
            "failures": self.failures,
        }
        if timings:
            result["duration_ms"] = self.duration_ms
        return result


@dataclass
class JourneyResult:
    customer: str
    scenario: str
    steps: list[StepResult] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    duration_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.not_run and all(step.passed for step in self.steps)

    @property
    def failures(self) -> list[str]:
        return [
            f"{step.description}: {failure}" for step in self.steps for failure in step.failures
        ]

    def to_dict(self, *, timings: bool) -> dict[str, Any]:
        result: dict[str, Any] = {
            "customer": self.customer,
            "scenario": self.scenario,
            "passed": self.passed,
            "steps": [step.to_dict(timings=timings) for step in self.steps],
            "not_run": self.not_run,
        }
        if timings:
            result["duration_ms"] = self.duration_ms
        return result


@dataclass
class Report:
    seed: int
    chaos: bool
    scenarios: list[str]
    users: int
    concurrency: int
    billing_mode: BillingMode = DEFAULT_BILLING_MODE
    webhooks_after_return: bool = False
    past_due_grace: bool = False
    journeys: list[JourneyResult] = field(default_factory=list)
    setup_failure: str | None = None
    wall_seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.setup_failure is None and all(journey.passed for journey in self.journeys)

    @property
    def journeys_per_second(self) -> float:
        return len(self.journeys) / self.wall_seconds if self.wall_seconds else 0.0

    def totals(self) -> dict[str, int]:
        steps = [step for journey in self.journeys for step in journey.steps]
        return {
            "journeys": len(self.journeys),
            "passed": sum(journey.passed for journey in self.journeys),
            "failed": sum(not journey.passed for journey in self.journeys),
            "steps": len(steps),
            "webhook_events": sum(step.deliveries.events for step in steps),
            "duplicates": sum(step.deliveries.duplicates for step in steps),
            "forged_rejected": sum(step.deliveries.forged_rejected for step in steps),
        }

    def to_dict(self, *, timings: bool = True) -> dict[str, Any]:
        result: dict[str, Any] = {
            "passed": self.passed,
            "seed": self.seed,
            "chaos": self.chaos,
            "billing_mode": self.billing_mode,
            "webhooks_after_return": self.webhooks_after_return,
            "past_due_grace": self.past_due_grace,
            "scenarios": self.scenarios,
            "users": self.users,
            "concurrency": self.concurrency,
            "setup_failure": self.setup_failure,
            "totals": self.totals(),
            "journeys": [journey.to_dict(timings=timings) for journey in self.journeys],
        }
        if timings:
            result["timings"] = {
                "wall_seconds": round(self.wall_seconds, 3),
                "journeys_per_second": round(self.journeys_per_second, 2),
            }
        return result

    def to_json(self, *, timings: bool = True) -> str:
        return json.dumps(self.to_dict(timings=timings), indent=2, ensure_ascii=False) + "\n"

    def to_junit(self) -> str:
        """One test case per journey (class = scenario), failures listing every broken step."""
        totals = self.totals()
        suite = ElementTree.Element(
            "testsuite",
            name="billing-portal simulator",
            tests=str(totals["journeys"] + (1 if self.setup_failure else 0)),
            failures=str(totals["failed"] + (1 if self.setup_failure else 0)),
            errors="0",
            time=f"{self.wall_seconds:.3f}",
        )
        if self.setup_failure is not None:
            case = ElementTree.SubElement(suite, "testcase", classname="setup", name="setup")
            ElementTree.SubElement(case, "failure", message=self.setup_failure)
        for journey in self.journeys:
            case = ElementTree.SubElement(
                suite,
                "testcase",
                classname=f"simulator.{journey.scenario}",
                name=journey.customer,
                time=f"{journey.duration_ms / 1000:.3f}",
            )
            if not journey.passed:
                lines = journey.failures + [f"not run: {step}" for step in journey.not_run]
                failure = ElementTree.SubElement(case, "failure", message=lines[0])
                failure.text = "\n".join(lines)
        ElementTree.indent(suite)
        return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
