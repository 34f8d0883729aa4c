"""Is this body a Stripe event signed with our secret, recently?

stripe's own `WebhookSignature.verify_header` (the check `Webhook.construct_event` runs) tests
the HMAC of every `v1` signature in the header (several during a secret rotation) and rejects
timestamps older than the tolerance. The body is then parsed once with `json.loads`:
construct_event would also build a tree of StripeObjects, a costly copy of the dict the
handlers read anyway. The timestamp check is one-sided, so a timestamp far in the future (a
replay prepared in advance, or a skewed signer) is refused here first.
"""

from __future__ import annotations

import json
import time

import stripe

from services.webhooks.errors import WebhookRejected
from services.webhooks.events import Event, parse_event

TOLERANCE_SECONDS = 300


def signed_at(header: str) -> int:
    """The header's `t=` timestamp; a header without exactly one is not Stripe's."""
    stamps = [part[2:] for part in header.split(",") if part.startswith("t=")]
    if len(stamps) != 1 or not stamps[0].isdigit():
        raise WebhookRejected("the Stripe-Signature header has no valid timestamp")
    return int(stamps[0])


def verify_event(payload: bytes, header: str | None, secret: str) -> Event:
    if not header:
        raise WebhookRejected("the Stripe-Signature header is missing")
    if signed_at(header) > time.time() + TOLERANCE_SECONDS:
        raise WebhookRejected("the Stripe-Signature timestamp is in the future")
    try:
        stripe.WebhookSignature.verify_header(payload, header, secret, TOLERANCE_SECONDS)
    except stripe.SignatureVerificationError as error:
        raise WebhookRejected(f"signature verification failed: {error.user_message}") from None
    except UnicodeDecodeError:
        raise WebhookRejected("the body is not UTF-8 text") from None
    try:
        parsed = json.loads(payload)
    except ValueError:
        raise WebhookRejected("the body is not JSON") from None
    return parse_event(parsed, payload.decode())
