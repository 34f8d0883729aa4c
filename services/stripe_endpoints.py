"""How a Stripe request is named in metrics: its endpoint and what became of it.

Stripe's paths alternate a collection and an id (`/v1/customers/cus_1/sources/card_2`), under
namespaces that group collections (`/v1/checkout/sessions`); a few words name a collection's
own action instead of an id (`/v1/customers/search`). The ids become `{id}`, so every customer
counts under one endpoint. Object ids cannot be told apart by their shape (a product's id is
whatever the account chose), which is why their place in the path decides.
"""

from __future__ import annotations

from enum import StrEnum
from urllib.parse import urlsplit

ID = "{id}"
# Segments that group collections rather than name one (v1 and v2).
NAMESPACES = frozenset(
    {
        "apps",
        "billing",
        "billing_portal",
        "checkout",
        "climate",
        "core",
        "entitlements",
        "financial_connections",
        "forwarding",
        "identity",
        "issuing",
        "radar",
        "reporting",
        "sigma",
        "tax",
        "terminal",
        "test_helpers",
        "treasury",
    }
)
COLLECTION_ACTIONS = frozenset({"search", "upcoming", "create_preview"})


class StripeOutcome(StrEnum):
    OK = "ok"
    REFUSED = "refused"  # 4xx: Stripe understood the request and said no
    RATE_LIMITED = "rate_limited"  # 429
    ERROR = "error"  # 5xx
    UNREACHABLE = "unreachable"  # no answer: the connection failed or the deadline passed


def endpoint(method: str, url: str) -> str:
    """`GET /v1/customers/{id}` for `get` of `https://api.stripe.com/v1/customers/cus_1?x=1`."""
    version, *segments = urlsplit(url).path.strip("/").split("/")
    template = [version]
    id_next = False
    for segment in segments:
        if id_next and segment not in COLLECTION_ACTIONS:
            template.append(ID)
            id_next = False
            continue
        template.append(segment)
        id_next = segment not in NAMESPACES and segment not in COLLECTION_ACTIONS
    return f"{method.upper()} /{'/'.join(template)}"


def outcome(status: int | None) -> StripeOutcome:
    """The outcome of a request Stripe answered with `status`, or did not answer (None)."""
    if status is None:
        return StripeOutcome.UNREACHABLE
    if status == 429:
        return StripeOutcome.RATE_LIMITED
    if status >= 500:
        return StripeOutcome.ERROR
    if status >= 400:
        return StripeOutcome.REFUSED
    return StripeOutcome.OK
