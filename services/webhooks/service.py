"""Receiving, storing and applying Stripe events: the use case behind POST /webhooks/stripe.

An event is applied in the transaction that stores it, so the mirror and the log never
disagree. When applying fails the transaction is rolled back and the event is then stored as
`failed` (with its error and attempt count) in a second step: it is never dropped, and a
redelivery or `billing-portal replay --failed` applies it again. The endpoint answers a failed
event 500, so that Stripe redelivers it, and raises EventNotStored (503) when even that write
fails.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from services.mirror import FAMILIES, Family, Phase, Snapshot, event_version, phase_of
from services.stripe_gateway import StripeGateway
from services.webhooks import log as event_log
from services.webhooks.errors import EventNotStored
from services.webhooks.events import Event, parse_event
from services.webhooks.log import EventStatus
from services.webhooks.signature import verify_event

logger = logging.getLogger(__name__)


class Outcome(StrEnum):
    PROCESSED = "processed"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ReplayReport:
    outcomes: dict[Outcome, int]

    @property
    def failed(self) -> int:
        return self.outcomes.get(Outcome.FAILED, 0)


@dataclass(slots=True)
class WebhookService:
    secret: str
    stripe: StripeGateway
    refetch_objects: bool = False

    async def receive(self, payload: bytes, signature: str | None) -> Outcome:
        """Verify a delivery (WebhookRejected when it is not Stripe's) and ingest it."""
        event = verify_event(payload, signature, self.secret)
        return await self.ingest(event)

    async def ingest(self, event: Event) -> Outcome:
        family = FAMILIES.get(event.type)
        if self.refetch_objects and await event_log.status_of(event.id) in event_log.DONE:
            return Outcome.DUPLICATE  # spares Stripe a fetch; `claim` decides in any case
        try:
            snapshot = await self._snapshot(event, family)
            return await self._apply(event, family, snapshot)
        except Exception as error:  # any handler failure is kept on the event, never raised
            logger.exception("webhook event failed", extra={"event_id": event.id})
            await self._record_failure(event, f"{type(error).__name__}: {error}")
            return Outcome.FAILED

    async def replay_failed(self) -> ReplayReport:
        """Apply every failed event again, oldest first (`billing-portal replay --failed`)."""
        outcomes: dict[Outcome, int] = {}
        for payload in await event_log.failed_payloads():
            outcome = await self.ingest(parse_event(payload))
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return ReplayReport(outcomes)

    async def _snapshot(self, event: Event, family: Family | None) -> Snapshot:
        """The object to apply: the event's copy, or Stripe's current one when so configured.

        A deleted object cannot be fetched any more: its event's copy is final.
        """
        if family is None or not self.refetch_objects or phase_of(event.type) is Phase.ENDED:
            return event.snapshot
        object_id = event.object_id
        if object_id is None:
            return event.snapshot
        fetched: Any = await self.stripe.call(lambda v1: family.retrieve(v1, object_id))
        current: Snapshot = fetched.to_dict()
        return current

    async def _apply(self, event: Event, family: Family | None, snapshot: Snapshot) -> Outcome:
        outcome = EventStatus.IGNORED if family is None else EventStatus.PROCESSED
        async with in_transaction() as connection:
            if not await event_log.claim(connection, event, outcome):
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

    async def _record_failure(self, event: Event, error: str) -> None:
        try:
            async with in_transaction() as connection:
                await event_log.record_failure(connection, event, error)
        except Exception as storage_error:
            raise EventNotStored(str(storage_error)) from storage_error
