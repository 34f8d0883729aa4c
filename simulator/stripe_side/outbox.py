"""The events one role's actions cause, waiting to be delivered to the service's endpoint.

Actions queue events as they happen and deliver them when Stripe would send them; each queued
burst goes out in order, or through the journey's seeded chaos, and the log records the outcome.
An event the endpoint did not acknowledge is sent again on Stripe's retry schedule, on the
simulated clock: whenever the journey's time reaches a retry's moment, the next delivery
includes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from simulator.stripe_side.api_versions import render_in
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.retries import RetryQueue
from simulator.stripe_side.webhooks import (
    Answer,
    Chaos,
    Delivery,
    DeliveryLog,
    WebhookEndpoint,
    acknowledged,
    answered,
)
from simulator.toolkit.events import event_envelope


class EventOutbox:
    """Queued events of one role, rendered when queued, delivered together by `flush`."""

    def __init__(
        self, endpoint: WebhookEndpoint, chaos: Chaos, clock: SimClock, ids: IdMint
    ) -> None:
        self.log = DeliveryLog()
        self._endpoint = endpoint
        self._chaos = chaos
        self._clock = clock
        self._ids = ids
        self._pending: list[dict[str, Any]] = []
        self._serial = 0
        self._retries = RetryQueue()
        self._acknowledged: dict[str, int] = {}
        self._holding = False

    def emit(
        self, event_type: str, data_object: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> str:
        """Queue an event and return its id. The object is rendered now, in the endpoint's API
        version, so each event is a snapshot in time that never changes."""
        self._serial += 1
        event_id = self._ids.mint("evt", f"event {self._serial}")
        version = self._endpoint.api_version
        shaped, earlier = render_in(version, data_object, previous)
        # BEHAVIOUR: events.same-second (a burst's events share the second they happen in)
        created = self._clock.now
        self._pending.append(
            event_envelope(event_id, event_type, shaped, created, earlier, api_version=version)
        )
        return event_id

    @contextmanager
    def held(self) -> Iterator[None]:
        """Within the block `flush` does nothing (no delivery, no tick): what it would have
        sent goes with the first flush after the block."""
        self._holding = True
        try:
            yield
        finally:
            self._holding = False

    async def flush(self) -> None:
        """Deliver what Stripe sends now: the queued burst and the retries falling due. Then
        the clock moves on a second, so the next action is a later moment."""
        if self._holding:
            return
        events, self._pending = self._pending, []
        if events:
            self.log.batches.append(events)
        retries = self._retries.due(self._clock.now)
        await self._deliver(self._chaos.plan(events, self._mint_event_id, retries))
        while retries := self._retries.due(self._clock.now):
            await self._deliver(self._chaos.plan([], self._mint_event_id, retries))
        self._clock.tick()

    async def run_until(self, moment: int) -> None:
        """Time passes until `moment`: each retry falling due on the way is sent at its time."""
        while (due := self._retries.next_moment()) is not None and due <= moment:
            self._clock.advance_to(due)
            await self.flush()
        self._clock.advance_to(moment)

    def answered_at(self, event_id: str) -> int | None:
        """When the endpoint first answered `event_id` with a 2xx, on the simulated clock."""
        return self._acknowledged.get(event_id)

    async def await_acknowledgement(self, event_id: str, *, deadline: int) -> int:
        """Let time pass through Stripe's retries until the endpoint acknowledged `event_id`,
        or until `deadline`; the moment it was acknowledged, or the deadline."""
        while (moment := self.answered_at(event_id)) is None:
            due = self._retries.next_moment()
            if due is None or due > deadline:
                self._clock.advance_to(deadline)
                return deadline
            await self.run_until(due)
        return moment

    def _was_acknowledged(self, delivery: Delivery) -> bool:
        return (delivery.event_id or "") in self._acknowledged

    def _mint_event_id(self, what: str) -> str:
        return self._ids.mint("evt", what)

    async def _deliver(self, plan: list[Delivery]) -> None:
        answers = await self._endpoint.deliver(plan, at_once=self._chaos.enabled)
        now = self._clock.now
        for delivery, answer in answers:
            self._account(delivery, answer, now)
        for delivery, answer in answers:
            first_failure = delivery.retry == 0 and not acknowledged(answer)
            # BEHAVIOUR: webhook.retries (a forgery is the attacker's, never retried)
            if first_failure and delivery.forgery is None and not self._was_acknowledged(delivery):
                self._retries.schedule(delivery, now)

    def _account(self, delivery: Delivery, answer: Answer, now: int) -> None:
        log = self.log
        if delivery.forgery is not None:
            if answer == 400:
                log.forged_rejected += 1
            else:
                log.problems.append(
                    f"forged delivery ({delivery.label}) {answered(answer)}, expected 400"
                )
            return
        if delivery.retry == 0:
            if delivery.duplicate:
                log.duplicates += 1
            else:
                log.events += 1
        if acknowledged(answer):
            self._acknowledged.setdefault(delivery.event_id or "", now)
            if delivery.retry:
                self._retries.delivered(delivery)
            return
        if delivery.retry == 0:
            kind = "duplicate of " if delivery.duplicate else ""
            log.problems.append(f"webhook {kind}{delivery.label} {answered(answer)}, expected 200")
            return
        log.problems.append(
            f"Stripe's retry {delivery.retry} of webhook {delivery.label} "
            f"{answered(answer)}, expected 200"
        )
        if not self._retries.failed(delivery):
            log.problems.append(
                f"Stripe stopped retrying webhook {delivery.label}: "
                "not acknowledged within three days"
            )
