"""Deliveries that arrive together share one transaction, and each is still answered for itself.

Runs on the suite's database (SQLite, or PostgreSQL with DATABASE_URL): on SQLite a batch runs
in one hop on aiosqlite's thread, on PostgreSQL in a Tortoise transaction; both keep a
savepoint per event.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asyncpg.exceptions import DeadlockDetectedError
from tortoise import connections

from services.mirror import FAMILIES
from services.models import StripeEvent, Subscription
from services.webhooks import Outcome, WebhookService
from services.webhooks.events import parse_event
from tests.webhooks import support as s

HANG_GUARD_SECONDS = 60
AN_HOUR_SECONDS = 3600.0


def _observed(service: WebhookService, **changes: Any) -> tuple[WebhookService, list[int]]:
    """The service with its batch sizes recorded, one entry per committed batch."""
    sizes: list[int] = []
    return dataclasses.replace(service, observe_batch=sizes.append, **changes), sizes


def _subscription_event(subscription_id: str, *, created: int = s.BASE_TIME):
    snapshot = s.subscription(subscription_id, "cus_1", "active")
    return s.event("customer.subscription.updated", snapshot, created=created)


def _event_without_price(subscription_id: str):
    """An event its handler refuses: a subscription must have a price."""
    body = _subscription_event(subscription_id)
    body["data"]["object"]["items"]["data"] = []
    return body


async def _ingest_together(service: WebhookService, *bodies) -> list[Outcome]:
    return list(await asyncio.gather(*(service.ingest(parse_event(body)) for body in bodies)))


async def test_events_delivered_together_are_committed_in_one_batch(services):
    service, sizes = _observed(services.webhooks)
    bodies = [_subscription_event(f"sub_{n}") for n in range(3)]

    outcomes = await _ingest_together(service, *bodies)

    assert outcomes == [Outcome.PROCESSED] * 3
    assert sizes == [3]
    assert await Subscription.all().count() == 3


async def test_a_failing_handler_rolls_back_only_its_own_event(services):
    service, sizes = _observed(services.webhooks)
    bad = _event_without_price("sub_bad")

    outcomes = await _ingest_together(
        service, _subscription_event("sub_a"), bad, _subscription_event("sub_b")
    )

    assert outcomes == [Outcome.PROCESSED, Outcome.FAILED, Outcome.PROCESSED]
    assert sizes == [3]
    assert {row.id for row in await Subscription.all()} == {"sub_a", "sub_b"}
    stored = await StripeEvent.get(id=bad["id"])
    assert (stored.status, stored.attempts, stored.payload) == ("failed", 1, bad)
    assert "ValueError" in (stored.error or "")


async def test_the_same_event_twice_in_one_batch_is_applied_once(services):
    service, sizes = _observed(services.webhooks)
    body = _subscription_event("sub_twice")

    outcomes = await _ingest_together(service, body, body, body)

    assert outcomes == [Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert sizes == [3]
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts) == ("processed", 1)


async def test_a_batch_holds_at_most_the_configured_number_of_events(services):
    service, sizes = _observed(services.webhooks, batch_max_events=2)

    outcomes = await _ingest_together(service, *(_subscription_event(f"sub_{n}") for n in range(5)))

    assert outcomes == [Outcome.PROCESSED] * 5
    assert sizes == [2, 2, 1]


async def test_a_lone_event_does_not_wait_for_company(services):
    service, sizes = _observed(
        services.webhooks, batch_max_events=100, batch_max_wait_seconds=AN_HOUR_SECONDS
    )

    outcome = await asyncio.wait_for(
        service.ingest(parse_event(_subscription_event("sub_alone"))), HANG_GUARD_SECONDS
    )

    assert outcome is Outcome.PROCESSED
    assert sizes == [1]


async def test_concurrent_deliveries_need_fewer_commits_than_deliveries(client, app, settings):
    service, sizes = _observed(app.state.services.webhooks)
    app.state.services.webhooks = service
    bodies = [_subscription_event(f"sub_{n}") for n in range(20)]

    responses = await asyncio.gather(
        *(s.deliver(client, body, settings.webhook_secret) for body in bodies)
    )

    assert [response.status_code for response in responses] == [200] * 20
    assert sum(sizes) == 20
    assert len(sizes) < 20
    assert await StripeEvent.filter(status="processed").count() == 20


@pytest.fixture
async def commit_refused(database: str) -> AsyncIterator[None]:
    """Every transaction that stores an event fails at COMMIT, on the suite's database kind:
    a deferred constraint the event log's insert violates, checked only when committing."""
    connection = connections.get("default")
    table = StripeEvent._meta.db_table
    if connection.capabilities.dialect == "postgres":
        install = (
            "CREATE FUNCTION refuse_commit() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'commit refused'; END $$; "
            f'CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON "{table}" '
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_commit();"
        )
        remove = f'DROP TRIGGER refuse_commit ON "{table}"; DROP FUNCTION refuse_commit();'
    else:
        install = (
            "CREATE TABLE commit_guard_parent (id TEXT PRIMARY KEY); "
            "CREATE TABLE commit_guard (parent TEXT REFERENCES commit_guard_parent (id) "
            "DEFERRABLE INITIALLY DEFERRED); "
            f'CREATE TRIGGER refuse_commit AFTER INSERT ON "{table}" '
            "BEGIN INSERT INTO commit_guard VALUES ('missing'); END;"
        )
        remove = (
            "DROP TRIGGER refuse_commit; DROP TABLE commit_guard; DROP TABLE commit_guard_parent;"
        )
    await connection.execute_script(install)
    try:
        yield
    finally:
        await connection.execute_script(remove)


@pytest.mark.usefixtures("commit_refused")
async def test_a_batch_whose_commit_fails_answers_503_to_every_delivery_and_stores_none(
    client, app, settings
):
    service, sizes = _observed(app.state.services.webhooks)
    app.state.services.webhooks = service
    bodies = [_subscription_event(f"sub_{n}") for n in range(5)]

    responses = await asyncio.gather(
        *(s.deliver(client, body, settings.webhook_secret) for body in bodies)
    )

    assert [response.status_code for response in responses] == [503] * 5
    assert sizes == []
    assert await StripeEvent.all().count() == 0
    assert await Subscription.all().count() == 0


async def test_an_event_that_deadlocked_with_another_writer_goes_again_in_a_later_batch(
    services, monkeypatch
):
    service, sizes = _observed(services.webhooks)
    family = FAMILIES["customer.subscription.updated"]
    broken_off: list[str] = []

    async def deadlocked_once(connection, snapshot, version, phase):
        if not broken_off:
            broken_off.append(snapshot["id"])
            raise DeadlockDetectedError("deadlock detected")
        await family.apply(connection, snapshot, version, phase)

    flaky = dataclasses.replace(family, apply=deadlocked_once)
    monkeypatch.setitem(FAMILIES, "customer.subscription.updated", flaky)
    body = _subscription_event("sub_crossed")

    outcome = await service.ingest(parse_event(body))

    assert outcome is Outcome.PROCESSED
    assert broken_off == ["sub_crossed"]
    assert sizes == [1, 1]
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts) == ("processed", 1)
    assert stored.error is None
