"""customer.subscription.*: the mirror `viewer.subscriptions` and `hasActiveSubscription` read.

Recent API versions moved `current_period_end` onto each item; both shapes are read.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, moment, section
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
    """Status first; a pending cancellation comes after the same status without one."""
    status_rank = STATUS_RANK.get(str(snapshot.get("status")), 0)
    return status_rank * 2 + (1 if snapshot.get("cancel_at_period_end") else 0)


def _first_item(snapshot: Snapshot) -> dict[str, Any]:
    items = section(snapshot, "items").get("data")
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    item = _first_item(snapshot)
    price = section(item, "price") or section(snapshot, "plan")
    price_id = id_of(price)
    if price_id is None:
        raise ValueError(f"subscription {snapshot.get('id')} has no price")
    product_id = id_of(price.get("product"))
    nickname = price.get("nickname")
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
        "cancel_at_period_end": bool(snapshot.get("cancel_at_period_end")),
        "canceled_at": moment(snapshot.get("canceled_at")),
        "trial_end": moment(snapshot.get("trial_end")),
        "created": moment(snapshot.get("created")),
    }
    await write_if_newer(connection, Subscription, values, version)


SUBSCRIPTIONS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.subscriptions.retrieve_async(object_id),
    state_rank=state_rank,
)
