"""checkout.session.*: who the session's customer belongs to, and what a one-time purchase bought.

A subscription bought through Checkout reaches the mirror through its own
customer.subscription.* events; the session carries the user link (`client_reference_id`, or
`metadata.user_id`). A session in payment mode is a one-time purchase: its line items say which
products were bought, and Stripe's events do not carry them, so `complete` reads them from
Stripe (every page) before the event's transaction. Each line item becomes a purchase row
versioned like every mirror row, so a redelivery or a later event of the session (an
asynchronous payment that succeeds or fails) converges on the newest snapshot.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import (
    PAGE_SIZE,
    Family,
    Snapshot,
    id_of,
    listed_objects,
    section,
)
from services.mirror.handlers.links import link_customer
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import Purchase
from services.notifications import customer_topic, user_topic
from services.stripe_gateway import StripeGateway

PAID = frozenset({"paid", "no_payment_required"})


def is_one_time_purchase(snapshot: Snapshot) -> bool:
    """A completed session in payment mode (paid now, or waiting for an asynchronous payment)."""
    return snapshot.get("mode") == "payment" and snapshot.get("status") == "complete"


def state_rank(snapshot: Snapshot) -> int:
    """A paid snapshot outranks an unpaid one of the same second: payment only moves forward."""
    return 1 if snapshot.get("payment_status") in PAID else 0


def _user_id(snapshot: Snapshot) -> str | None:
    user_id = snapshot.get("client_reference_id") or section(snapshot, "metadata").get("user_id")
    return user_id if isinstance(user_id, str) and user_id else None


def owners(snapshot: Snapshot) -> tuple[str, ...]:
    """The customer, and the user the session links it to."""
    customer_id = id_of(snapshot.get("customer"))
    user_id = _user_id(snapshot)
    return (
        *((customer_topic(customer_id),) if customer_id else ()),
        *((user_topic(user_id),) if user_id else ()),
    )


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    customer_id = id_of(snapshot.get("customer"))
    user_id = _user_id(snapshot)
    if customer_id and user_id:
        await link_customer(connection, user_id, customer_id)
    if not (customer_id and is_one_time_purchase(snapshot)):
        return
    for item in listed_objects(snapshot, "line_items"):
        price = section(item, "price")
        product_id = id_of(price.get("product"))
        if product_id is None:
            continue
        values = {
            "id": f"{snapshot['id']}:{item['id']}",
            "checkout_session_id": snapshot["id"],
            "customer_id": customer_id,
            "payment_intent_id": id_of(snapshot.get("payment_intent")),
            "product_id": product_id,
            "price_id": id_of(price),
            "quantity": item.get("quantity") or 1,
            "paid": snapshot.get("payment_status") in PAID,
        }
        await write_if_newer(connection, Purchase, values, version)


async def complete(stripe: StripeGateway, snapshot: Snapshot) -> Snapshot:
    """A one-time purchase with all its line items, as `expand[]=line_items` would give them,
    page after page."""
    listed = section(snapshot, "line_items")
    if not is_one_time_purchase(snapshot) or (listed and listed.get("has_more") is False):
        return snapshot
    session_id = str(snapshot["id"])
    items = [
        item
        async for item in stripe.each(
            lambda v1: v1.checkout.sessions.line_items.list_async(session_id, {"limit": PAGE_SIZE})
        )
    ]
    return {**snapshot, "line_items": {"object": "list", "data": items, "has_more": False}}


CHECKOUT_SESSIONS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.checkout.sessions.retrieve_async(object_id),
    state_rank=state_rank,
    complete=complete,
    owners=owners,
)
