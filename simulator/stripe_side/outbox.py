"""The events one role's actions cause, waiting to be delivered to the service's endpoint.

Actions queue events as they happen and deliver them when Stripe would send them; each queued
batch goes out in order, or through the journey's seeded chaos, and the log records the outcome.
"""

from __future__ import annotations

from typing import Any

from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint
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

    def emit(
        self, event_type: str, data_object: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> None:
        """Queue an event; the object is rendered now, so each event is a snapshot in time."""
        self._serial += 1
        event_id = self._ids.mint("evt", f"event {self._serial}")
        self._pending.append(
            event_envelope(event_id, event_type, data_object, self._clock.tick(), previous)
        )

    async def flush(self) -> None:
        """Deliver the queued events (in order, or through the chaos plan)."""
        events, self._pending = self._pending, []
        self._serial += 1
        plan = self._chaos.plan(events, self._ids.mint("evt", f"forged {self._serial}"))
        await self._endpoint.deliver(plan, self.log, at_once=self._chaos.enabled)
