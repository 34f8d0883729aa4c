"""`Stripe-Signature` headers, computed by the stripe SDK itself.

`stripe.WebhookSignature.generate_signature_header` is the helper the SDK ships for signing test
payloads; using it means a change in how Stripe signs reaches the senders with the SDK upgrade
that brings it to the service's verifier. It signs with one secret, so several secrets (a
rotation, when Stripe signs with the old and the new one) join its signatures under one `t=`.
"""

from __future__ import annotations

import time

import stripe

CONTENT_TYPE = "application/json"


def signature_header(payload: str | bytes, *secrets: str, timestamp: int | None = None) -> str:
    """`t=<timestamp>,v1=<hex>[,v1=<hex>...]` over `payload`, one `v1` per secret."""
    text = payload.decode() if isinstance(payload, bytes) else payload
    stamp = int(time.time()) if timestamp is None else timestamp
    headers = [
        stripe.WebhookSignature.generate_signature_header(text, secret, timestamp=stamp)
        for secret in secrets
    ]
    signatures = [header.split(",", 1)[1] for header in headers]
    return ",".join([f"t={stamp}", *signatures])


def webhook_headers(
    payload: str | bytes, *secrets: str, timestamp: int | None = None
) -> dict[str, str]:
    """The headers of a webhook delivery of `payload`, signed like Stripe signs it."""
    return {
        "content-type": CONTENT_TYPE,
        "stripe-signature": signature_header(payload, *secrets, timestamp=timestamp),
    }
