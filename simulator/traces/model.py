"""Golden trace files: what the Stripe side must generate in one scenario, read and validated.

A trace is data (`simulator/traces/<scenario>.toml`), written from the behaviour reference
(`simulator/stripe_side/BEHAVIOUR.md`), never from the code it checks. Loading refuses anything
the checker could not check as written (an unknown key, a row id the reference does not have, an
expression outside the language), so an authoring mistake fails loudly instead of checking less.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from simulator.billing_modes import BILLING_MODES
from simulator.stripe_side.billing import PERIOD_DAYS
from simulator.stripe_side.clock import DAY, HOUR
from simulator.traces.expressions import Expression, ExpressionRefused

TRACES_DIR = Path(__file__).resolve().parent
# Bursts several traces share (a Checkout completion, a paid renewal): `use = "<file stem>"`.
SHARED_BURSTS_DIR = TRACES_DIR / "bursts"
BEHAVIOUR_TABLE = TRACES_DIR.parent / "stripe_side" / "BEHAVIOUR.md"
ROW_ID = re.compile(r"^\| `([a-z0-9.\-]+)` \|", re.MULTILINE)
RANGE = re.compile(r"^(\d+)\.\.(\d+)$")

# The constants an expression may name; the checker adds the per-event names.
CONSTANTS: dict[str, int] = {"DAY": DAY, "HOUR": HOUR, "INTERVAL": PERIOD_DAYS * DAY}
EVENT_NAMES = frozenset(
    {
        "object",
        "previous",
        "event",
        "created",
        "mode",
        "burst",
        "every",
        "earlier",
        "all_earlier",
        "within_burst",
    }
)
KNOWN_NAMES = EVENT_NAMES | frozenset(CONSTANTS)


class TraceInvalid(ValueError):
    """A trace file the checker cannot check as written; the message names file and place."""


@dataclass(frozen=True, slots=True)
class Expectation:
    row: str
    expression: Expression
    modes: frozenset[str]


@dataclass(frozen=True, slots=True)
class EventSpec:
    """Events of one type in a burst: how many, which row sends them, what holds for each."""

    type: str
    row: str
    least: int
    most: int
    modes: frozenset[str]
    expectations: tuple[Expectation, ...]

    def count_text(self) -> str:
        return str(self.least) if self.least == self.most else f"{self.least}..{self.most}"


@dataclass(frozen=True, slots=True)
class BurstSpec:
    """What Stripe generates at one moment: a multiset of event types, in no order."""

    events: tuple[EventSpec, ...]
    after: int
    modes: frozenset[str]
    absent: Mapping[str, str]

    def specs_for(self, mode: str) -> dict[str, EventSpec]:
        return {spec.type: spec for spec in self.events if mode in spec.modes}


@dataclass(frozen=True, slots=True)
class StepTrace:
    description: str
    bursts: tuple[BurstSpec, ...]

    def bursts_for(self, mode: str) -> list[BurstSpec]:
        return [burst for burst in self.bursts if mode in burst.modes]


@dataclass(frozen=True, slots=True)
class Trace:
    scenario: str
    steps: tuple[StepTrace, ...]


def trace_names() -> list[str]:
    """The scenarios that have a trace file."""
    return sorted(path.stem for path in TRACES_DIR.glob("*.toml"))


@cache
def behaviour_rows() -> frozenset[str]:
    """The row ids of the behaviour reference table."""
    return frozenset(ROW_ID.findall(BEHAVIOUR_TABLE.read_text(encoding="utf-8")))


@cache
def load_trace(scenario: str, directory: Path = TRACES_DIR) -> Trace:
    """The scenario's trace, from `directory` (bursts it `use`s always come from the package)."""
    path = directory / f"{scenario}.toml"
    if not path.is_file():
        raise TraceInvalid(f"scenario {scenario!r} has no golden trace ({path.name})")
    with path.open("rb") as file:
        try:
            document = tomllib.load(file)
        except tomllib.TOMLDecodeError as error:
            raise TraceInvalid(f"{path.name}: {error}") from error
    return _Reader(path.name).trace(document, scenario)


@dataclass(frozen=True)
class _Reader:
    file: str

    def fail(self, where: str, what: str) -> TraceInvalid:
        return TraceInvalid(f"{self.file}, {where}: {what}")

    def keys(
        self, table: Mapping[str, Any], where: str, required: set[str], optional: set[str]
    ) -> None:
        missing = required - set(table)
        unknown = set(table) - required - optional
        if missing or unknown:
            problem = f"missing {sorted(missing)}" if missing else f"unknown {sorted(unknown)}"
            raise self.fail(where, f"{problem} (allowed: {sorted(required | optional)})")

    def trace(self, document: Mapping[str, Any], scenario: str) -> Trace:
        self.keys(document, "top level", {"scenario"}, {"steps"})
        if document["scenario"] != scenario:
            raise self.fail("scenario", f"names {document['scenario']!r}, not {scenario!r}")
        steps = tuple(
            self.step(step, f"step {number}")
            for number, step in enumerate(document.get("steps", []), start=1)
        )
        return Trace(scenario, steps)

    def step(self, table: Mapping[str, Any], where: str) -> StepTrace:
        self.keys(table, where, {"description"}, {"bursts"})
        bursts = tuple(
            self.burst(burst, f"{where}, burst {number}")
            for number, burst in enumerate(table.get("bursts", []), start=1)
        )
        return StepTrace(str(table["description"]), bursts)

    def burst(self, table: Mapping[str, Any], where: str) -> BurstSpec:
        if "use" in table:
            self.keys(table, where, {"use"}, set())
            return self.shared_burst(str(table["use"]), where)
        self.keys(table, where, set(), {"events", "after", "modes", "absent"})
        events = tuple(
            self.event(event, f"{where}, event {number}")
            for number, event in enumerate(table.get("events", []), start=1)
        )
        for mode in BILLING_MODES:
            types = [spec.type for spec in events if mode in spec.modes]
            repeated = {kind for kind in types if types.count(kind) > 1}
            if repeated:
                raise self.fail(where, f"{sorted(repeated)} listed twice for mode {mode}")
        absent = table.get("absent", {})
        for kind, row in absent.items():
            self.row(row, f"{where}, absent {kind}")
        after = table.get("after", 0)
        if not isinstance(after, int) or after < 0:
            raise self.fail(where, f"after must be whole seconds >= 0, not {after!r}")
        return BurstSpec(events, after, self.modes(table, where), dict(absent))

    def shared_burst(self, name: str, where: str) -> BurstSpec:
        path = SHARED_BURSTS_DIR / f"{name}.toml"
        if not path.is_file():
            raise self.fail(where, f"uses {name!r}, but there is no bursts/{path.name}")
        with path.open("rb") as file:
            try:
                return _Reader(f"bursts/{path.name}").burst(tomllib.load(file), "burst")
            except tomllib.TOMLDecodeError as error:
                raise TraceInvalid(f"bursts/{path.name}: {error}") from error

    def event(self, table: Mapping[str, Any], where: str) -> EventSpec:
        self.keys(table, where, {"type", "row"}, {"count", "modes", "expect"})
        where = f"{where} ({table['type']})"
        least, most = self.count(table.get("count", 1), where)
        expectations = [
            expectation
            for row, sources in table.get("expect", {}).items()
            for expectation in self.expectations(self.row(row, f"{where}, expect"), sources, where)
        ]
        return EventSpec(
            type=str(table["type"]),
            row=self.row(table["row"], where),
            least=least,
            most=most,
            modes=self.modes(table, where),
            expectations=tuple(expectations),
        )

    def expectations(self, row: str, sources: Any, where: str) -> list[Expectation]:
        """A row's expressions: a list for every mode, or a table of lists by billing mode."""
        if not isinstance(sources, dict):
            sources = {tuple(BILLING_MODES): sources}
        else:
            self.modes({"modes": list(sources)}, f"{where}, expect {row}")
            sources = {(mode,): listed for mode, listed in sources.items()}
        return [
            Expectation(row, self.expression(source, where), frozenset(modes))
            for modes, listed in sources.items()
            for source in listed
        ]

    def expression(self, source: Any, where: str) -> Expression:
        try:
            return Expression.parse(str(source), KNOWN_NAMES)
        except ExpressionRefused as error:
            raise self.fail(where, str(error)) from error

    def count(self, value: Any, where: str) -> tuple[int, int]:
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value, value
        matched = RANGE.match(value) if isinstance(value, str) else None
        if matched and int(matched[1]) <= int(matched[2]):
            return int(matched[1]), int(matched[2])
        raise self.fail(where, f"count must be a whole number or 'least..most', not {value!r}")

    def modes(self, table: Mapping[str, Any], where: str) -> frozenset[str]:
        modes = table.get("modes", list(BILLING_MODES))
        unknown = set(modes) - set(BILLING_MODES)
        if unknown:
            raise self.fail(where, f"unknown billing modes {sorted(unknown)}")
        return frozenset(modes)

    def row(self, row: Any, where: str) -> str:
        if row not in behaviour_rows():
            raise self.fail(where, f"{row!r} is not a row id of {BEHAVIOUR_TABLE.name}")
        return str(row)
