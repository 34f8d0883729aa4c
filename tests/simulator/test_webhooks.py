"""The Stripe side signs like Stripe and its chaos is decided by the seed alone."""

from __future__ import annotations

import json
import random
from typing import Any

import stripe

from simulator.stripe_side.webhooks import FORGERIES, Chaos, envelope, signature_header

SECRET = "whsec_simulator_test"


def _events(count: int) -> list[dict[str, Any]]:
    return [
        envelope(f"evt_{n}", "customer.updated", {"id": "cus_1", "object": "customer"}, 1000 + n)
        for n in range(count)
    ]


def test_signatures_verify_with_stripes_own_library():
    body = json.dumps(_events(1)[0]).encode()
    header = signature_header(SECRET, body, 1_800_000_000)

    assert stripe.WebhookSignature.verify_header(body.decode(), header, SECRET, tolerance=None)


def test_events_carry_the_full_envelope():
    event = _events(1)[0]

    assert {
        "id",
        "object",
        "api_version",
        "created",
        "data",
        "livemode",
        "pending_webhooks",
        "request",
        "type",
    } <= event.keys()
    assert event["object"] == "event"
    assert event["livemode"] is False


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
