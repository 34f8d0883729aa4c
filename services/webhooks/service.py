"""Receiving, storing and applying Stripe events: the use case behind POST /webhooks/stripe.

An event is applied in the transaction that stores it, so the mirror and the log never
disagree. Deliveries that arrive together share that transaction (`group_commit`), each event
in a savepoint of its own (`batch`): when applying one fails, only its own writes are rolled
back and it is stored as `failed` (with its error and attempt count) in the same transaction.
It is never dropped, and a redelivery or `billing-portal replay --failed` applies it again.
Each delivery is answered only after the commit that holds it. The endpoint answers a failed
event 500, so that Stripe redelivers it, and EventNotStored (503) when the event is not in
the log: its record could not be written, or its batch did not commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from services.metrics import NO_METRICS, Metrics
from services.mirror import FAMILIES, Family, Phase, Snapshot, phase_of
from services.notifications import BillingChanges
from services.stripe_gateway import StripeGateway
from services.webhooks import log as event_log
from services.webhooks.batch import Conflict, Delivery, Outcome, Result, commit_batch
from services.webhooks.errors import EventNotStored, WebhookRejected
from services.webhooks.events import Event, parse_event
from services.webhooks.group_commit import BatchObserver, GroupCommit, ignore_batch
from services.webhooks.signature import verify_event

logger = logging.getLogger(__name__)

DEFAULT_BATCH_MAX_EVENTS = 100
MAX_CONFLICTS = 5
# Delivery outcomes beside the event's own (Outcome): not Stripe's, or not stored (answered 503).
REJECTED = "rejected"
NOT_STORED = "not_stored"


@dataclass(frozen=True, slots=True)
class ReplayReport:
    outcomes: dict[Outcome, int]

    @property
    def failed(self) -> int:
        return self.outcomes.get(Outcome.FAILED, 0)


@dataclass(slots=True)
class WebhookService:
    """`batch_max_events` bounds the events sharing one transaction; `batch_max_wait_seconds`
    how long a batch that formed while another committed may wait for more; `observe_batch`
    is told the size of each committed batch; `metrics` counts deliveries by type and outcome;
    `changes` hears whose billing an applied event changed."""

    secret: str
    stripe: StripeGateway
    refetch_objects: bool = False
    batch_max_events: int = DEFAULT_BATCH_MAX_EVENTS
    batch_max_wait_seconds: float = 0.0
    observe_batch: BatchObserver = ignore_batch
    metrics: Metrics = NO_METRICS
    changes: BillingChanges = field(default_factory=BillingChanges)
    _batches: GroupCommit[Delivery, Result] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._batches = GroupCommit(
            commit_batch,
            max_items=self.batch_max_events,
            max_wait_seconds=self.batch_max_wait_seconds,
            observe=self.observe_batch,
        )

    async def receive(self, payload: bytes, signature: str | None) -> Outcome:
        """Verify a delivery (WebhookRejected when it is not Stripe's) and ingest it."""
        try:
            event = verify_event(payload, signature, self.secret)
        except WebhookRejected:
            self.metrics.webhook_event(None, REJECTED)
            raise
        try:
            outcome = await self.ingest(event)
        except EventNotStored:
            self.metrics.webhook_event(event.type, NOT_STORED)
            raise
        self.metrics.webhook_event(event.type, outcome.value)
        return outcome

    async def ingest(self, event: Event) -> Outcome:
        family = FAMILIES.get(event.type)
        if self.refetch_objects and await event_log.status_of(event.id) in event_log.DONE:
            return Outcome.DUPLICATE  # spares Stripe a fetch; `claim` decides in any case
        try:
            snapshot = await self._snapshot(event, family)
            if family is not None:  # what the event does not carry, read before the transaction
                snapshot = await family.complete(self.stripe, snapshot)
            delivery = Delivery(event, family, snapshot)
        except Exception as error:  # a failed Stripe read is kept on the event, never raised
            logger.exception("webhook event failed", extra={"event_id": event.id})
            failure = event_log.failure_of(error)
            delivery = Delivery(event, family, event.snapshot, failure=failure)
        result = await self._stored(delivery)
        if isinstance(result, EventNotStored):
            raise result
        if result is Outcome.PROCESSED and family is not None:  # committed: tell who shows it
            self.changes.publish(family.owners(delivery.snapshot))
        return result

    async def _stored(self, delivery: Delivery) -> Outcome | EventNotStored:
        """The delivery's result once a batch holding it has committed; again in a later batch
        when it crossed another instance's batch, a few times at most."""
        for _ in range(MAX_CONFLICTS):
            try:
                result = await self._batches.submit(delivery)
            except Exception as error:  # the batch did not commit: nothing of it is stored
                raise EventNotStored(str(error)) from error
            if result is not Conflict.TRY_AGAIN:
                return result
        return EventNotStored(f"the event crossed other writers {MAX_CONFLICTS} times")

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
        object_id, retrieve = event.object_id, family.retrieve
        if object_id is None or retrieve is None:
            return event.snapshot
        fetched: Any = await self.stripe.call(lambda v1: retrieve(v1, object_id))
        current: Snapshot = fetched.to_dict()
        return current
