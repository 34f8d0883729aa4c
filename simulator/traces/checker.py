"""Checking what the Stripe side generated in one journey against the scenario's golden trace.

Only what Stripe guarantees is checked: which events each moment generates (a multiset, in no
order), that moments follow each other in time (and by at least `after` seconds where the
reference says so), that one moment's events share their second, and the fields the reference
names. The order in which events are delivered is never checked: Stripe guarantees none.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from simulator.report import JourneyResult
from simulator.traces.expressions import Unmet
from simulator.traces.model import CONSTANTS, BurstSpec, EventSpec, StepTrace, Trace

Envelope = dict[str, Any]
# BEHAVIOUR: events.same-second
BURST_SPAN_SECONDS = 1
# A field stamped "at the moment of the action" may precede the burst's first event by this much.
ACTION_SLACK_SECONDS = 2


@dataclass(frozen=True, slots=True)
class GeneratedEvent:
    """One generated event as expressions see it (`burst('type').object.id`)."""

    event: Envelope
    object: dict[str, Any]
    previous: dict[str, Any]
    created: int

    @classmethod
    def of(cls, envelope: Envelope) -> GeneratedEvent:
        data = envelope.get("data") or {}
        return cls(
            event=envelope,
            object=data.get("object") or {},
            previous=data.get("previous_attributes") or {},
            created=int(envelope["created"]),
        )

    @property
    def type(self) -> str:
        return str(self.event["type"])


@dataclass(frozen=True, slots=True)
class StepEvents:
    """One step of a journey as the Stripe side generated it: one list per delivery batch."""

    description: str
    batches: Sequence[Sequence[Envelope]]


def steps_of(journey: JourneyResult) -> list[StepEvents]:
    """The steps a journey ran, with the events each generated."""
    return [StepEvents(step.description, step.deliveries.batches) for step in journey.steps]


def check_journey(trace: Trace, steps: Sequence[StepEvents], mode: str) -> list[str]:
    """Every divergence between the journey's generated events and its trace, one line each.

    Steps the journey did not reach (it stopped at a failed step) are not checked.
    """
    journey = _Journey(mode)
    if len(steps) > len(trace.steps):
        journey.divergences.append(
            f"the scenario ran {len(steps)} steps, its trace describes {len(trace.steps)}"
        )
    for number, (step, expected) in enumerate(zip(steps, trace.steps, strict=False), start=1):
        journey.check_step(number, step, expected)
    return journey.divergences


@dataclass
class _Journey:
    mode: str
    divergences: list[str] = field(default_factory=list)
    history: list[GeneratedEvent] = field(default_factory=list)

    def check_step(self, number: int, step: StepEvents, expected: StepTrace) -> None:
        where = f'step {number} "{step.description}"'
        if step.description != expected.description:
            self.divergences.append(f"{where}: the trace describes {expected.description!r}")
            return
        bursts = expected.bursts_for(self.mode)
        batches = [[GeneratedEvent.of(envelope) for envelope in batch] for batch in step.batches]
        if len(batches) != len(bursts):
            self.divergences.append(
                f"{where}: expected {len(bursts)} bursts ({_specs_text(bursts, self.mode)}), "
                f"the Stripe side generated {len(batches)} ({_batches_text(batches)})"
            )
            self.history.extend(event for batch in batches for event in batch)
            return
        for position, (burst, batch) in enumerate(zip(bursts, batches, strict=True), start=1):
            self.check_burst(f"{where}, burst {position}", burst, batch)
            self.history.extend(batch)

    def check_burst(self, where: str, burst: BurstSpec, batch: list[GeneratedEvent]) -> None:
        self.check_timing(where, burst, batch)
        specs = burst.specs_for(self.mode)
        counts = Counter(event.type for event in batch)
        for kind, count in sorted(counts.items()):
            if kind in specs:
                continue
            row = burst.absent.get(kind)
            because = f" [{row} says Stripe does not send it here]" if row else ""
            self.divergences.append(f"{where}: unexpected {kind} x{count}{because}")
        for kind, spec in specs.items():
            if not spec.least <= counts[kind] <= spec.most:
                self.divergences.append(
                    f"{where}: expected {kind} x{spec.count_text()}, generated x{counts[kind]} "
                    f"[{spec.row}]"
                )
        for event in batch:
            if event.type in specs:
                self.check_fields(f"{where}, {event.type}", specs[event.type], event, batch)

    def check_timing(self, where: str, burst: BurstSpec, batch: list[GeneratedEvent]) -> None:
        moments = [event.created for event in batch]
        if max(moments) - min(moments) > BURST_SPAN_SECONDS:
            self.divergences.append(
                f"{where}: its events span {max(moments) - min(moments)} s of `created`, "
                f"expected at most {BURST_SPAN_SECONDS} s [events.same-second]"
            )
        if not self.history:
            return
        last = max(event.created for event in self.history)
        if min(moments) < last + burst.after:
            wanted = f"at least {burst.after} s after" if burst.after else "not before"
            self.divergences.append(
                f"{where}: generated at {min(moments)}, expected {wanted} the previous burst "
                f"(last generated at {last})"
            )

    def check_fields(
        self, where: str, spec: EventSpec, event: GeneratedEvent, batch: list[GeneratedEvent]
    ) -> None:
        names = self.names(event, batch)
        for expectation in spec.expectations:
            if self.mode not in expectation.modes:
                continue
            verdict = expectation.expression.holds(names)
            if not verdict.held:
                because = f" ({verdict.why})" if verdict.why else ""
                self.divergences.append(
                    f"{where}: {expectation.expression.source} failed{because} [{expectation.row}]"
                )

    def names(self, event: GeneratedEvent, batch: list[GeneratedEvent]) -> dict[str, Any]:
        first = min(other.created for other in batch)
        last = max(other.created for other in batch)

        def burst(kind: str) -> GeneratedEvent:
            found = [other for other in batch if other.type == kind]
            if len(found) != 1:
                raise Unmet(f"burst({kind!r}): this burst generated {len(found)} of them")
            return found[0]

        def every(kind: str) -> list[GeneratedEvent]:
            return [other for other in batch if other.type == kind]

        def all_earlier(kind: str) -> list[GeneratedEvent]:
            return [other for other in self.history if other.type == kind]

        def earlier(kind: str) -> GeneratedEvent:
            found = all_earlier(kind)
            if not found:
                raise Unmet(f"earlier({kind!r}): no earlier burst generated one")
            return found[-1]

        def within_burst(moment: Any) -> bool:
            return isinstance(moment, int) and first - ACTION_SLACK_SECONDS <= moment <= last

        return {
            **CONSTANTS,
            "object": event.object,
            "previous": event.previous,
            "event": event.event,
            "created": event.created,
            "mode": self.mode,
            "burst": burst,
            "every": every,
            "earlier": earlier,
            "all_earlier": all_earlier,
            "within_burst": within_burst,
        }


def _specs_text(bursts: list[BurstSpec], mode: str) -> str:
    return "; ".join(", ".join(burst.specs_for(mode)) or "nothing" for burst in bursts) or "none"


def _batches_text(batches: list[list[GeneratedEvent]]) -> str:
    described = []
    for batch in batches:
        counts = Counter(event.type for event in batch)
        described.append(
            ", ".join(f"{kind} x{n}" if n > 1 else kind for kind, n in sorted(counts.items()))
        )
    return "; ".join(described) or "none"
