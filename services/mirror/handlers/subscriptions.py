"""customer.subscription.*: the mirror `viewer.subscriptions` and `hasActiveSubscription` read.

Recent API versions moved `current_period_end` onto each item; both shapes are read.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers import payment_methods
from services.mirror.handlers.base import (
    Family,
    Snapshot,
    id_of,
    listed_objects,
    moment,
    section,
)
from services.mirror.ordering import Phase, Version
from services.mirror.plan_names import plan_name
from services.mirror.store import write_if_newer
from services.models import Subscription

# Life cycle order for same-second snapshots: a later stage outranks an earlier one.
STATUS_RANK = {
    "incomplete": 0,
    "trialing": 1,
    "active": 2,
    "paused": 3,
    "past_due": 3,
    "unpaid": 4,
    "incomplete_expired": 5,
    "canceled": 5,
}


def state_rank(snapshot: Snapshot) -> int:
    """Status first; a scheduled end comes after the same status without one."""
    status_rank = STATUS_RANK.get(str(snapshot.get("status")), 0)
    return status_rank * 2 + (0 if scheduled_end(snapshot) is None else 1)


def _period_ends(snapshot: Snapshot) -> list[int]:
    """Each item's current period end (and the subscription's own, in API versions before
    2025-03-31): the moments at which the subscription can end "at period end"."""
    ends = [item.get("current_period_end") for item in listed_objects(snapshot, "items")]
    ends.append(snapshot.get("current_period_end"))
    return [end for end in ends if isinstance(end, int) and not isinstance(end, bool)]


def scheduled_end(snapshot: Snapshot) -> int | None:
    """When the subscription is set to end, if it is: `cancel_at`, which Stripe sets in both
    billing modes; an older snapshot that only raises `cancel_at_period_end` ends at the latest
    period end."""
    cancel_at = snapshot.get("cancel_at")
    if isinstance(cancel_at, int) and not isinstance(cancel_at, bool):
        return cancel_at
    if snapshot.get("cancel_at_period_end") is True:
        return max(_period_ends(snapshot), default=None)
    return None


def ends_at_period_end(snapshot: Snapshot) -> bool:
    """Scheduled to end when a current period does, whichever billing mode said so.

    Classic mode raises `cancel_at_period_end`; flexible mode (a Customer Portal cancellation,
    for one) leaves it false and sets `cancel_at` to the period end instead. Reactivating clears
    whichever field was set, and so this.
    """
    end = scheduled_end(snapshot)
    return snapshot.get("cancel_at_period_end") is True or end in _period_ends(snapshot)


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    items = listed_objects(snapshot, "items")
    item = items[0] if items else {}
    price = section(item, "price") or section(snapshot, "plan")
    price_id = id_of(price)
    if price_id is None:
        raise ValueError(f"subscription {snapshot.get('id')} has no price")
    product_id = id_of(price.get("product"))
    nickname = price.get("nickname")
    card = snapshot.get("default_payment_method")
    values = {
        "id": snapshot["id"],
        "customer_id": id_of(snapshot.get("customer")),
        "status": snapshot["status"],
        "price_id": price_id,
        "product_id": product_id,
        "price_nickname": nickname,
        "plan_name": await plan_name(connection, nickname, product_id),
        "quantity": item.get("quantity") or snapshot.get("quantity") or 1,
        "current_period_end": moment(
            snapshot.get("current_period_end") or item.get("current_period_end")
        ),
        "cancel_at_period_end": ends_at_period_end(snapshot),
        "cancel_at": moment(scheduled_end(snapshot)),
        "canceled_at": moment(snapshot.get("canceled_at")),
        "trial_end": moment(snapshot.get("trial_end")),
        "created": moment(snapshot.get("created")),
        "default_payment_method_id": id_of(card),
    }
    await write_if_newer(connection, Subscription, values, version)
    if isinstance(card, dict):
        await payment_methods.apply_embedded(connection, card, version)


SUBSCRIPTIONS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.subscriptions.retrieve_async(object_id),
    state_rank=state_rank,
)
