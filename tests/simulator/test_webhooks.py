"""The Stripe side's chaos is decided by the seed alone, and disorders only what Stripe does not
guarantee: the order of a burst, duplicates, and now and then a twin event for one change."""

from __future__ import annotations

import json
import random
from typing import Any

from simulator.stripe_side.webhooks import FORGERIES, Chaos, Delivery
from simulator.toolkit.events import event_envelope


def _events(count: int) -> list[dict[str, Any]]:
    return [
        event_envelope(
            f"evt_{n}", "customer.updated", {"id": "cus_1", "object": "customer"}, 1000 + n
        )
        for n in range(count)
    ]


def _mint(what: str) -> str:
    return "evt_forged" if what.startswith("forgery") else f"evt_{what.replace(' ', '_')}"


def test_without_chaos_every_event_is_sent_once_in_order():
    plan = Chaos(None).plan(_events(5), _mint)

    assert [json.loads(d.body)["id"] for d in plan] == [f"evt_{n}" for n in range(5)]
    assert all(d.forgery is None and d.delay == 0 for d in plan)


def test_without_chaos_stripes_retries_go_before_the_new_burst():
    retry = Delivery("customer.updated", b"{}", None, 0.0, event_id="evt_old", retry=1)

    plan = Chaos(None).plan(_events(2), _mint, [retry])

    assert [d.event_id for d in plan] == ["evt_old", "evt_0", "evt_1"]


def test_chaos_sends_every_event_and_exactly_one_forgery():
    plan = Chaos(random.Random("seed")).plan(_events(6), _mint)

    genuine = {json.loads(d.body)["id"] for d in plan if d.forgery is None and not d.duplicate}
    forged = [d for d in plan if d.forgery is not None]
    assert genuine == {f"evt_{n}" for n in range(6)}
    assert len(forged) == 1
    assert forged[0].forgery in FORGERIES
    assert json.loads(forged[0].body)["id"] == "evt_forged"


def test_chaos_now_and_then_sends_a_twin_another_event_for_the_same_change():
    originals = {event["id"]: event for event in _events(3)}
    plans = [Chaos(random.Random(seed)).plan(list(originals.values()), _mint) for seed in range(20)]

    twins = [
        json.loads(d.body)
        for plan in plans
        for d in plan
        if d.forgery is None and d.event_id not in originals
    ]
    assert twins
    for twin in twins:
        original = originals[twin["id"].removeprefix("evt_twin_of_")]
        assert {**twin, "id": original["id"]} == original


def test_chaos_is_the_same_for_the_same_seed():
    def outline(seed: str) -> list[tuple[str, str | None, bool]]:
        plan = Chaos(random.Random(seed)).plan(_events(8), _mint)
        return [(json.loads(d.body)["id"], d.forgery, d.duplicate) for d in plan]

    assert outline("a") == outline("a")
    assert outline("a") != outline("b")
