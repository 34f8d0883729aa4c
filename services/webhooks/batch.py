"""Applying a batch of events in one transaction, each in a savepoint of its own.

Every event is stored and applied inside its savepoint: when its handler fails, rolling back
to the savepoint takes back that event's writes only, and the event is then recorded as
`failed` (with its error) in a savepoint of its own. The other events of the batch are not
touched, and the batch commits once for all of them. An event that cannot even be recorded
is `EventNotStored`; a batch whose commit fails stores nothing, and raises.

One event delivered twice within a batch is applied once; its copies share its fate.

On PostgreSQL, the batches of several instances hold each other's locks until they commit (an
event claimed by one and delivered again to the other, a product both write), and can deadlock.
The database then fails one statement of one batch: that event's savepoint is rolled back and it
is `Conflict.TRY_AGAIN`, to go in a later batch, once this one has committed and released what
the other waits for. It is not recorded as failed: nothing was wrong with it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from enum import Enum, StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from services.mirror import Family, Snapshot, event_version, phase_of
from services.models import StripeEvent
from services.webhooks import log as event_log
from services.webhooks.errors import EventNotStored
from services.webhooks.events import Event
from services.webhooks.log import EventStatus
from services.webhooks.sqlite_thread import in_one_hop

logger = logging.getLogger(__name__)

SAVEPOINT = "webhook_event"


class Outcome(StrEnum):
    PROCESSED = "processed"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    FAILED = "failed"


class Conflict(Enum):
    """The event crossed another transaction: none of its writes are kept, it goes again."""

    TRY_AGAIN = "try again"


Result = Outcome | EventNotStored | Conflict
# SQLSTATEs of a transaction the database broke off to let another one through.
CONFLICT_STATES = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure
ACKNOWLEDGED = frozenset({Outcome.PROCESSED, Outcome.IGNORED, Outcome.DUPLICATE})


@dataclass(frozen=True, slots=True)
class Delivery:
    """An event ready to be applied: its family (None: a type this service ignores), the
    snapshot to apply, and the error that kept it from being applied (a failed re-fetch)."""

    event: Event
    family: Family | None
    snapshot: Snapshot
    failure: str | None = None


async def commit_batch(deliveries: Sequence[Delivery]) -> list[Result]:
    """Apply `deliveries` in one transaction of the event log's database; one result each.

    Raises when the transaction as a whole fails (and then stores nothing).
    """
    client = StripeEvent._meta.db
    try:
        if client.capabilities.dialect == "sqlite":
            return await in_one_hop(client, lambda connection: apply_batch(connection, deliveries))
        async with in_transaction(client.connection_name) as connection:
            return await apply_batch(connection, deliveries)
    except Exception:
        logger.exception("a webhook batch did not commit", extra={"events": len(deliveries)})
        raise


async def apply_batch(
    connection: BaseDBAsyncClient, deliveries: Sequence[Delivery]
) -> list[Result]:
    """Each delivery in order, inside the caller's transaction."""
    savepoints = Savepoints(connection)
    first_results: dict[str, Result] = {}
    results: list[Result] = []
    for delivery in deliveries:
        earlier = first_results.get(delivery.event.id)
        if earlier is None:
            result = await _apply_one(connection, savepoints, delivery)
            first_results[delivery.event.id] = result
        else:
            result = Outcome.DUPLICATE if earlier in ACKNOWLEDGED else earlier
        results.append(result)
    return results


class Savepoints:
    """One savepoint after another in a transaction, each block's writes kept or undone.

    A kept savepoint is released when the next one is set, in the same round trip on
    PostgreSQL; the last one is released by the commit.
    """

    def __init__(self, connection: BaseDBAsyncClient) -> None:
        self._connection = connection
        self._holding = False

    @asynccontextmanager
    async def around(self) -> AsyncIterator[None]:
        """The block's writes, or none of them when it raises (the transaction goes on)."""
        release = [f"RELEASE SAVEPOINT {SAVEPOINT}"] if self._holding else []
        await self._control(*release, f"SAVEPOINT {SAVEPOINT}")
        self._holding = True
        try:
            yield
        except BaseException:
            self._holding = False
            await self._control(
                f"ROLLBACK TO SAVEPOINT {SAVEPOINT}", f"RELEASE SAVEPOINT {SAVEPOINT}"
            )
            raise

    async def _control(self, *statements: str) -> None:
        """PostgreSQL gets them as one plain query: one round trip, and nothing to prepare
        (asyncpg prepares a parameterised query first, which for these costs several times the
        statement itself). SQLite runs them one by one on its own thread."""
        if self._connection.capabilities.dialect == "postgres":
            await self._connection.execute_script("; ".join(statements))
            return
        for statement in statements:
            await self._connection.execute_query(statement)


async def _apply_one(
    connection: BaseDBAsyncClient, savepoints: Savepoints, delivery: Delivery
) -> Result:
    event = delivery.event
    failure = delivery.failure
    if failure is None:
        try:
            async with savepoints.around():
                return await _apply(connection, delivery)
        except Exception as error:  # any handler failure is kept on the event, never raised
            if crossed_another_writer(error):
                logger.warning("webhook event deferred: %s", error, extra={"event_id": event.id})
                return Conflict.TRY_AGAIN
            logger.exception("webhook event failed", extra={"event_id": event.id})
            failure = event_log.failure_of(error)
    try:
        async with savepoints.around():
            await event_log.record_failure(connection, event, failure)
    except Exception as error:
        logger.exception("webhook event could not be stored", extra={"event_id": event.id})
        return EventNotStored(str(error))
    return Outcome.FAILED


def crossed_another_writer(error: BaseException) -> bool:
    """The database broke off `error`'s statement for another transaction's sake (the driver's
    error, or Tortoise's wrapping of it)."""
    seen: BaseException | None = error
    while seen is not None:
        if getattr(seen, "sqlstate", None) in CONFLICT_STATES:
            return True
        seen = seen.__cause__
    return False


async def _apply(connection: BaseDBAsyncClient, delivery: Delivery) -> Outcome:
    event, family, snapshot = delivery.event, delivery.family, delivery.snapshot
    status = EventStatus.IGNORED if family is None else EventStatus.PROCESSED
    if not await event_log.claim(connection, event, status):
        return Outcome.DUPLICATE
    if family is None:
        return Outcome.IGNORED
    phase = phase_of(event.type)
    # Ranked by the event's own copy, so that re-fetching never changes the order.
    version = event_version(
        created=event.created,
        event_id=event.id,
        phase=phase,
        state_rank=family.state_rank(event.snapshot),
    )
    await family.apply(connection, snapshot, version, phase)
    return Outcome.PROCESSED
