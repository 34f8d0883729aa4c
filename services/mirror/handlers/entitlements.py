"""entitlements.active_entitlement_summary.updated: the features a customer is entitled to now.

The summary names no object id: it is the customer's, and one row per customer holds the latest
list. Its `entitlements` is a list object whose first page may not be all of it; `complete`
then reads the whole list from Stripe before the event's transaction. Stripe cannot return a
summary by id, so re-fetching keeps the event's copy (completed the same way).
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import (
    PAGE_SIZE,
    Family,
    Snapshot,
    id_of,
    listed_objects,
    section,
)
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import EntitlementSummary
from services.stripe_gateway import StripeGateway


def summary(customer_id: str, entitlements: list[dict[str, Any]]) -> Snapshot:
    """A summary snapshot of `entitlements`, as Stripe's event renders one (sync builds its own
    from the list of active entitlements)."""
    return {
        "object": "entitlements.active_entitlement_summary",
        "customer": customer_id,
        "entitlements": {"object": "list", "data": entitlements, "has_more": False},
    }


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    active = listed_objects(snapshot, "entitlements")
    values = {
        "id": id_of(snapshot.get("customer")),
        "entitlements": [
            {"feature": id_of(item.get("feature")), "lookup_key": item["lookup_key"]}
            for item in active
            if isinstance(item.get("lookup_key"), str)
        ],
    }
    await write_if_newer(connection, EntitlementSummary, values, version)


async def complete(stripe: StripeGateway, snapshot: Snapshot) -> Snapshot:
    """The summary with every page of its entitlements."""
    if section(snapshot, "entitlements").get("has_more") is not True:
        return snapshot
    customer_id = id_of(snapshot.get("customer"))
    every = [
        item
        async for item in stripe.each(
            lambda v1: v1.entitlements.active_entitlements.list_async(
                {"customer": str(customer_id), "limit": PAGE_SIZE}
            )
        )
    ]
    return summary(str(customer_id), every)


ENTITLEMENT_SUMMARIES = Family(apply=apply, retrieve=None, complete=complete)
