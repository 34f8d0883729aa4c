"""A verified delivery's envelope, checked once so that handlers can trust its shape."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.mirror import Snapshot
from services.webhooks.errors import WebhookRejected


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    created: int
    livemode: bool
    snapshot: Snapshot
    payload: dict[str, Any]
    body: str | None = None
    """The JSON text as delivered, when the event came over HTTP: the log stores it as it is."""

    @property
    def object_id(self) -> str | None:
        value = self.snapshot.get("id")
        return value if isinstance(value, str) else None


def parse_event(payload: Any, body: str | None = None) -> Event:
    """The envelope of a v1 snapshot event (`body`: its JSON text, when at hand); anything else
    is refused as malformed."""
    if not isinstance(payload, dict) or payload.get("object") != "event":
        raise WebhookRejected("the body is not a Stripe event")
    event_id, event_type, created = payload.get("id"), payload.get("type"), payload.get("created")
    data = payload.get("data")
    snapshot = data.get("object") if isinstance(data, dict) else None
    if not (isinstance(event_id, str) and event_id and isinstance(event_type, str) and event_type):
        raise WebhookRejected("the event has no id or no type")
    if not isinstance(created, int) or isinstance(created, bool) or created < 0:
        raise WebhookRejected("the event has no valid created time")
    if not isinstance(snapshot, dict):
        raise WebhookRejected("the event has no data.object")
    return Event(
        id=event_id,
        type=event_type,
        created=created,
        livemode=payload.get("livemode") is True,
        snapshot=snapshot,
        payload=payload,
        body=body,
    )
