"""The event log: every accepted event once by id, with what became of it.

`claim` inserts the event inside the applying transaction and then locks its row, so ten
concurrent deliveries of one event queue behind the first and find it done. A failure is
recorded outside that (rolled back) transaction, keeping the event for redelivery or replay.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F

from services.models import StripeEvent
from services.webhooks.events import Event
from services.webhooks.store import insert_statement, placeholders

MAX_ERROR_CHARS = 2000


class EventStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


DONE = frozenset({EventStatus.PROCESSED, EventStatus.IGNORED})


def _row(event: Event, status: EventStatus) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "object_id": event.object_id,
        "created": event.created,
        "livemode": event.livemode,
        "payload": event.payload,
        "status": status.value,
        "attempts": 0,
        "received_at": datetime.now(UTC),
    }


async def status_of(event_id: str) -> EventStatus | None:
    statuses = await StripeEvent.filter(id=event_id).values_list("status", flat=True)
    return EventStatus(str(statuses[0])) if statuses else None


async def claim(connection: BaseDBAsyncClient, event: Event) -> EventStatus:
    """Store the event unless known, lock its row until commit, and return its status.

    One statement: the no-op DO UPDATE locks an existing row (PostgreSQL's ON CONFLICT takes
    the row lock) and RETURNING reports the status it holds. SQLite runs transactions one at a
    time anyway; on PostgreSQL the statement sits in a CTE so that Tortoise fetches its rows.
    """
    insert, parameters = insert_statement(
        connection, StripeEvent, _row(event, EventStatus.RECEIVED)
    )
    upsert = f'{insert} ON CONFLICT ("id") DO UPDATE SET "id" = excluded."id" RETURNING "status"'
    if connection.capabilities.dialect != "sqlite":
        upsert = f'WITH claimed AS ({upsert}) SELECT "status" FROM claimed'  # noqa: S608
    _, rows = await connection.execute_query(upsert, parameters)
    return EventStatus(rows[0]["status"])


async def finish(connection: BaseDBAsyncClient, event_id: str, status: EventStatus) -> None:
    table = StripeEvent._meta.db_table
    new_status, stamp, event = placeholders(connection, 3)
    await connection.execute_query(
        f'UPDATE "{table}" SET "status" = {new_status}, "attempts" = "attempts" + 1, '  # noqa: S608
        f'"error" = NULL, "processed_at" = {stamp} WHERE "id" = {event}',
        [status.value, datetime.now(UTC), event_id],
    )


async def record_failure(connection: BaseDBAsyncClient, event: Event, error: str) -> None:
    """Keep the event as failed with its error; an event already done stays done."""
    insert, parameters = insert_statement(connection, StripeEvent, _row(event, EventStatus.FAILED))
    await connection.execute_query(f'{insert} ON CONFLICT ("id") DO NOTHING', parameters)
    await (
        StripeEvent.filter(id=event.id, status__not_in=list(DONE))
        .using_db(connection)
        .update(
            status=EventStatus.FAILED, attempts=F("attempts") + 1, error=error[:MAX_ERROR_CHARS]
        )
    )


async def failed_payloads() -> list[dict[str, object]]:
    """Failed events in the order Stripe created them, for `billing-portal replay --failed`."""
    payloads = await (
        StripeEvent.filter(status=EventStatus.FAILED)
        .order_by("created", "id")
        .values_list("payload", flat=True)
    )
    return [dict(payload) for payload in payloads]
