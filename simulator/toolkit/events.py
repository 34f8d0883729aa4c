"""Stripe event envelopes: the JSON Stripe POSTs to a webhook endpoint around an object.

One builder for every sender (the simulated Stripe, the bench, the tests), so a field Stripe
adds to its envelopes is added once.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.toolkit.versions import stripe_sdk_api_version


def event_envelope(
    event_id: str,
    event_type: str,
    data_object: dict[str, Any],
    created: int,
    previous_attributes: dict[str, Any] | None = None,
    *,
    api_version: str | None = None,
) -> dict[str, Any]:
    """A snapshot event as Stripe sends it, of the SDK's API version unless told otherwise."""
    data: dict[str, Any] = {"object": data_object}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": event_id,
        "object": "event",
        "api_version": api_version or stripe_sdk_api_version(),
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def event_body(event: dict[str, Any]) -> bytes:
    """The bytes to POST (and to sign): compact JSON, as Stripe sends."""
    return json.dumps(event, separators=(",", ":")).encode()
