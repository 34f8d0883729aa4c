"""Two workers applying different events of one subscription at once still leave the newer.

Only PostgreSQL runs transactions side by side (SQLite runs them one at a time through one
connection, where this race cannot happen), so the test is marked `postgres_only` and runs in
the PostgreSQL pass.
"""

from __future__ import annotations

import asyncio

import pytest
from tortoise import connections

from services.models import StripeEvent, Subscription
from services.webhooks import Outcome
from services.webhooks.events import parse_event
from tests.webhooks import support as s

ROUNDS = 30

pytestmark = pytest.mark.postgres_only


def _pair(round_number: int):
    subscription_id = f"sub_race_{round_number:03d}"
    older = s.subscription(subscription_id, "cus_race", "past_due")
    newer = s.subscription(subscription_id, "cus_race", "active", quantity=3)
    return (
        s.event("customer.subscription.updated", older, created=s.BASE_TIME),
        s.event("customer.subscription.updated", newer, created=s.BASE_TIME + 1),
    )


async def test_racing_events_for_one_subscription_always_leave_the_newer(webhook_service):
    assert connections.get("default").capabilities.dialect == "postgres"
    workers = (webhook_service(), webhook_service())

    for round_number in range(ROUNDS):
        older, newer = _pair(round_number)
        first, second = (older, newer) if round_number % 2 else (newer, older)
        outcomes = await asyncio.gather(
            workers[0].ingest(parse_event(first)), workers[1].ingest(parse_event(second))
        )

        assert list(outcomes) == [Outcome.PROCESSED, Outcome.PROCESSED]
        row = await Subscription.get(id=older["data"]["object"]["id"])
        assert (row.status, row.quantity, row.source_event_id) == ("active", 3, newer["id"])
    assert await StripeEvent.filter(status="processed").count() == 2 * ROUNDS
