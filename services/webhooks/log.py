"""The event log: every accepted event once by id, with what became of it.

`claim` stores the event, with the outcome it is about to have, inside the savepoint that
applies it, and locks its row, so ten concurrent deliveries of one event queue behind the first
and find it done. A failure is recorded after that savepoint was rolled back, keeping the event
for redelivery or replay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.functions import Count

from services.models import StripeEvent
from services.sql import Computed, insert_statement
from services.webhooks.events import Event

MAX_ERROR_CHARS = 2000


class EventStatus(StrEnum):
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


DONE = frozenset({EventStatus.PROCESSED, EventStatus.IGNORED})
_DONE_SQL = ", ".join(f"'{status.value}'" for status in sorted(DONE))


def _row(event: Event, status: EventStatus) -> dict[str, Any]:
    # The text Stripe sent is already the JSON to store: encoding the parsed copy again would
    # cost as much as parsing it did.
    payload = event.payload if event.body is None else Computed("{}", (event.body,))
    return {
        "id": event.id,
        "type": event.type,
        "object_id": event.object_id,
        "created": event.created,
        "livemode": event.livemode,
        "payload": payload,
        "status": status.value,
        "attempts": 0,
        "received_at": datetime.now(UTC),
    }


async def status_of(event_id: str) -> EventStatus | None:
    statuses = await StripeEvent.filter(id=event_id).values_list("status", flat=True)
    return EventStatus(str(statuses[0])) if statuses else None


async def claim(connection: BaseDBAsyncClient, event: Event, outcome: EventStatus) -> bool:
    """Store the event as `outcome` unless it is already done; False when it is a duplicate.

    The caller applies the event in the same savepoint, so the row reads `outcome` only once
    that commits; if applying fails, the rollback takes the row back with it and
    `record_failure` keeps the event instead. One statement: a new event is inserted, a failed
    one taken over, and a done one left as it is (then RETURNING yields no row). PostgreSQL's
    ON CONFLICT locks the existing row even when its WHERE is false, so ten concurrent
    deliveries of one event queue behind the first and find it done. SQLite runs transactions
    one at a time anyway; on PostgreSQL the statement sits in a CTE so that Tortoise fetches
    its rows.
    """
    row = {**_row(event, outcome), "attempts": 1, "processed_at": datetime.now(UTC)}
    insert, parameters = insert_statement(connection, StripeEvent, row)
    table = StripeEvent._meta.db_table
    upsert = (
        f'{insert} ON CONFLICT ("id") DO UPDATE SET "status" = excluded."status", '
        f'"attempts" = "{table}"."attempts" + 1, "error" = NULL, '
        f'"processed_at" = excluded."processed_at" '
        f'WHERE "{table}"."status" NOT IN ({_DONE_SQL}) RETURNING "id"'
    )
    if connection.capabilities.dialect != "sqlite":
        upsert = f'WITH claimed AS ({upsert}) SELECT "id" FROM claimed'  # noqa: S608
    _, rows = await connection.execute_query(upsert, parameters)
    return bool(rows)


def failure_of(error: Exception) -> str:
    """The error an event is kept with: its kind as well as its message, which alone may be
    empty or say little."""
    return f"{type(error).__name__}: {error}"


async def record_failure(connection: BaseDBAsyncClient, event: Event, error: str) -> None:
    """Keep the event as failed with its error; an event already done stays done."""
    row = {**_row(event, EventStatus.FAILED), "attempts": 1, "error": error[:MAX_ERROR_CHARS]}
    insert, parameters = insert_statement(connection, StripeEvent, row)
    table = StripeEvent._meta.db_table
    await connection.execute_query(
        f'{insert} ON CONFLICT ("id") DO UPDATE SET "status" = excluded."status", '
        f'"attempts" = "{table}"."attempts" + 1, "error" = excluded."error" '
        f'WHERE "{table}"."status" NOT IN ({_DONE_SQL})',
        parameters,
    )


async def failed_payloads() -> list[dict[str, object]]:
    """Failed events in the order Stripe created them, for `billing-portal replay --failed`."""
    payloads = await (
        StripeEvent.filter(status=EventStatus.FAILED)
        .order_by("created", "id")
        .values_list("payload", flat=True)
    )
    return [dict(payload) for payload in payloads]


async def counts_by_status(id_prefix: str = "") -> dict[EventStatus, int]:
    """How many stored events (whose id starts with `id_prefix`) are in each status.

    Every status is present, zeros included, so a caller comparing acknowledged deliveries with
    stored and applied events (`billing-portal events`, the bench) reads the log, not its rows.
    """
    events = StripeEvent.filter(id__startswith=id_prefix) if id_prefix else StripeEvent.all()
    grouped = await (
        events.annotate(count=Count("id")).group_by("status").values_list("status", "count")
    )
    counts = dict.fromkeys(EventStatus, 0)
    for status, count in grouped:
        counts[EventStatus(str(status))] = int(count)
    return counts


@dataclass(frozen=True, slots=True)
class EventLogSummary:
    """What an operator watches the log for: events waiting for a redelivery or a replay, and
    Stripe's `created` (unix seconds) of the newest event applied to the mirror (None before
    the first)."""

    failed: int
    newest_applied_created: int | None


async def summary() -> EventLogSummary:
    """Two reads that the (status, created) index answers without scanning the log."""
    failed = await StripeEvent.filter(status=EventStatus.FAILED).count()
    newest: list[Any] = await (
        StripeEvent.filter(status=EventStatus.PROCESSED)
        .order_by("-created")
        .limit(1)
        .values_list("created", flat=True)
    )
    return EventLogSummary(failed=failed, newest_applied_created=int(newest[0]) if newest else None)
