"""The mutants: each breaks one webhook handler or one mirror rule of the service, at runtime.

Three kinds, generated from the code itself where it can be read, so a new handler or a new
mirror field is mutated without anyone listing it:

- drop: the service ignores one event type (its entry leaves the handler table); one per type
  the mirror handles AND the golden traces say the Stripe side sends;
- freeze: one mirrored field never updates once its row exists (one per field any handler
  writes, found in the handlers' source);
- rule: one named rule inverted (a family's same-second ranking, newer-wins, the event phases,
  which statuses entitle, which subscription the portal acts on, a scheduled end, the card
  fallback, drafts hidden).

A mutant is applied with a `pytest.MonkeyPatch`, in the process that then hosts the service: the
child process of the mutation run, or a test (which undoes it afterwards). The source tree is
never touched.
"""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import pytest

import services.mirror as mirror_package
from services.mirror import ordering, reads
from services.mirror.handlers import FAMILIES
from services.mirror.handlers import invoices as invoice_handler
from services.mirror.handlers import subscriptions as subscription_handler
from services.mirror.handlers.base import Family, no_state_rank
from simulator.traces import load_trace, trace_names
from tests.mutation.writes import WRITE, ChangeRecorder, freezing, handler_writes

Apply = Callable[[pytest.MonkeyPatch], None]


@dataclass(frozen=True, slots=True)
class Mutant:
    id: str
    kind: str
    apply: Apply
    # For a freeze: the `Model.field` whose changes the scenarios must notice.
    field: str | None = None
    # Why no journey can tell the mutant apart, when that is known before playing any.
    unexercised: str | None = None


class MutantTargetGone(LookupError):
    """A rule mutant names code that no longer exists: the catalog must follow the code."""


def all_mutants() -> list[Mutant]:
    return [*drop_mutants(), *freeze_mutants(), *rule_mutants()]


def mutant(mutant_id: str) -> Mutant:
    found = {candidate.id: candidate for candidate in all_mutants()}
    if mutant_id not in found:
        raise KeyError(f"no mutant {mutant_id!r}")
    return found[mutant_id]


# Every run publishes the catalog before its journeys (not part of any journey's trace).
SETUP_EVENT_TYPES = frozenset({"product.created", "price.created"})


def traced_event_types() -> set[str]:
    """Every event type the Stripe side generates: the setup's, and every golden trace's."""
    return set(SETUP_EVENT_TYPES) | {
        spec.type
        for name in trace_names()
        for step in load_trace(name).steps
        for burst in step.bursts
        for spec in burst.events
    }


def unexercised_event_types() -> list[str]:
    """Handled types no scenario sends: their handlers are the webhook tests' to cover."""
    return sorted(set(FAMILIES) - traced_event_types())


def drop_mutants() -> list[Mutant]:
    return [
        Mutant(f"drop {event_type}", "drop", _dropping(event_type))
        for event_type in sorted(set(FAMILIES) & traced_event_types())
    ]


def _dropping(event_type: str) -> Apply:
    def apply(patch: pytest.MonkeyPatch) -> None:
        patch.delitem(FAMILIES, event_type)

    return apply


def freeze_mutants() -> list[Mutant]:
    mutants = []
    for write in handler_writes():
        for name in write.fields:
            target = f"{write.model}.{name}"
            mutants.append(
                Mutant(
                    f"freeze {target}", "freeze", _freezing(write.module, write.model, name), target
                )
            )
    return mutants


def _freezing(module: Any, model: str, name: str) -> Apply:
    def apply(patch: pytest.MonkeyPatch) -> None:
        patch.setattr(module, WRITE, freezing(getattr(module, WRITE), model, name))

    return apply


def record_changes(patch: pytest.MonkeyPatch, recorder: ChangeRecorder) -> None:
    """Wrap every handler's write so that `recorder` sees which stored fields change."""
    for module in {write.module for write in handler_writes()}:
        patch.setattr(module, WRITE, recorder.wrap(getattr(module, WRITE)))


def rule_mutants() -> list[Mutant]:
    families = {id(family): family for family in FAMILIES.values()}.values()
    ranked = [family for family in families if family.state_rank is not no_state_rank]
    sent = traced_event_types()
    return [
        *(
            Mutant(
                f"rule: reverse the same-second ranking of {_name(family)}",
                "rule",
                _reversed_rank(family),
                unexercised=None
                if any(FAMILIES[kind] is family for kind in sent & set(FAMILIES))
                else "no scenario sends an event of this family",
            )
            for family in ranked
        ),
        Mutant("rule: the older snapshot wins", "rule", _older_wins),
        Mutant("rule: the last delivery wins, whatever its version", "rule", _last_delivery_wins),
        Mutant("rule: created and deleted phases swapped", "rule", _phases_swapped),
        Mutant("rule: entitled statuses inverted", "rule", _inverted("ENTITLED_STATUSES")),
        Mutant("rule: portal-current statuses inverted", "rule", _inverted("CURRENT_STATUSES")),
        Mutant("rule: a scheduled end is ignored", "rule", _scheduled_end_ignored),
        Mutant("rule: ends-at-period-end inverted", "rule", _ends_at_period_end_inverted),
        Mutant("rule: no fallback to the subscription's card", "rule", _no_card_fallback),
        Mutant("rule: drafts are mirrored as open invoices", "rule", _drafts_as_open),
    ]


def _name(family: Family) -> str:
    return family.apply.__module__.rsplit(".", 1)[-1]


def _reversed_rank(family: Family) -> Apply:
    def apply(patch: pytest.MonkeyPatch) -> None:
        rank = family.state_rank
        reversed_family = replace(family, state_rank=lambda snapshot: -rank(snapshot))
        for event_type, handled_by in list(FAMILIES.items()):
            if handled_by is family:
                patch.setitem(FAMILIES, event_type, reversed_family)

    return apply


def _service_modules() -> Iterator[ModuleType]:
    """Every module of the service loaded in this process (the whole mirror package first)."""
    for info in pkgutil.walk_packages(mirror_package.__path__, f"{mirror_package.__name__}."):
        importlib.import_module(info.name)
    for name, module in list(sys.modules.items()):
        if name.startswith("services.") and module is not None:
            yield module


def _replace_everywhere(patch: pytest.MonkeyPatch, original: object, replacement: object) -> None:
    """Every module of the service that imported `original` by name gets `replacement`."""
    holders = [
        (module, attribute)
        for module in _service_modules()
        for attribute, value in list(vars(module).items())
        if value is original
    ]
    if not holders:
        raise MutantTargetGone(f"nothing in services holds {original!r}")
    for module, attribute in holders:
        patch.setattr(module, attribute, replacement)


def _older_wins(patch: pytest.MonkeyPatch) -> None:
    original = ordering.event_version

    def older_first(**parts: Any) -> ordering.Version:
        version = original(**parts)
        return replace(version, created=-version.created)

    _replace_everywhere(patch, original, older_first)


def _last_delivery_wins(patch: pytest.MonkeyPatch) -> None:
    original = ordering.event_version
    arrivals = itertools.count(1)

    def by_arrival(**parts: Any) -> ordering.Version:
        return ordering.Version(created=next(arrivals), rank=0, event_id="")

    _replace_everywhere(patch, original, by_arrival)


def _phases_swapped(patch: pytest.MonkeyPatch) -> None:
    original = ordering.phase_of
    swap = {
        ordering.Phase.CREATED: ordering.Phase.ENDED,
        ordering.Phase.ENDED: ordering.Phase.CREATED,
    }

    def swapped(event_type: str) -> ordering.Phase:
        phase = original(event_type)
        return swap.get(phase, phase)

    _replace_everywhere(patch, original, swapped)


def _inverted(constant: str) -> Apply:
    """The statuses a rule names become every other status a subscription can have."""

    def apply(patch: pytest.MonkeyPatch) -> None:
        kept = _service_constant(constant)
        every = tuple(subscription_handler.STATUS_RANK)
        _replace_everywhere(patch, kept, tuple(status for status in every if status not in kept))

    return apply


def _service_constant(name: str) -> Any:
    """The one value the service's modules know as `name`, wherever it is defined now."""
    values = {
        id(vars(module)[name]): vars(module)[name]
        for module in _service_modules()
        if name in vars(module)
    }
    if len(values) != 1:
        raise MutantTargetGone(f"{len(values)} different values are called {name} in services")
    return next(iter(values.values()))


def _scheduled_end_ignored(patch: pytest.MonkeyPatch) -> None:
    _attribute(subscription_handler, "scheduled_end")
    patch.setattr(subscription_handler, "scheduled_end", lambda snapshot: None)


def _ends_at_period_end_inverted(patch: pytest.MonkeyPatch) -> None:
    original = _attribute(subscription_handler, "ends_at_period_end")
    patch.setattr(
        subscription_handler, "ends_at_period_end", lambda snapshot: not original(snapshot)
    )


def _no_card_fallback(patch: pytest.MonkeyPatch) -> None:
    _attribute(reads, "_current_subscription_card")

    async def no_card(customer_id: str) -> None:
        return None

    patch.setattr(reads, "_current_subscription_card", no_card)


def _drafts_as_open(patch: pytest.MonkeyPatch) -> None:
    original = getattr(invoice_handler, WRITE)

    async def write(connection: Any, model: Any, values: Any, version: Any) -> None:
        if values.get("status") == "draft":
            values = {**values, "status": "open"}
        await original(connection, model, values, version)

    patch.setattr(invoice_handler, WRITE, write)


def _attribute(module: Any, name: str) -> Any:
    if not hasattr(module, name):
        raise MutantTargetGone(f"{module.__name__} has no {name} any more")
    return getattr(module, name)
