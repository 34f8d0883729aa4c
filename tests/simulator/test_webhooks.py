"""The Stripe side's chaos is decided by the seed alone."""

from __future__ import annotations

import json
import random
from typing import Any

from simulator.stripe_side.webhooks import FORGERIES, Chaos
from simulator.toolkit.events import event_envelope


def _events(count: int) -> list[dict[str, Any]]:
    return [
        event_envelope(
            f"evt_{n}", "customer.updated", {"id": "cus_1", "object": "customer"}, 1000 + n
        )
        for n in range(count)
    ]


def test_without_chaos_every_event_is_sent_once_in_order():
    plan = Chaos(None).plan(_events(5), "evt_forged")

    assert [json.loads(d.body)["id"] for d in plan] == [f"evt_{n}" for n in range(5)]
    assert all(d.forgery is None and d.delay == 0 for d in plan)


def test_chaos_sends_every_event_and_exactly_one_forgery():
    plan = Chaos(random.Random("seed")).plan(_events(6), "evt_forged")

    genuine = {json.loads(d.body)["id"] for d in plan if d.forgery is None}
    forged = [d for d in plan if d.forgery is not None]
    assert genuine == {f"evt_{n}" for n in range(6)}
    assert len(forged) == 1
    assert forged[0].forgery in FORGERIES
    assert json.loads(forged[0].body)["id"] == "evt_forged"


def test_chaos_is_the_same_for_the_same_seed():
    def outline(seed: str) -> list[tuple[str, str | None, bool]]:
        plan = Chaos(random.Random(seed)).plan(_events(8), "evt_forged")
        return [(json.loads(d.body)["id"], d.forgery, d.duplicate) for d in plan]

    assert outline("a") == outline("a")
    assert outline("a") != outline("b")
