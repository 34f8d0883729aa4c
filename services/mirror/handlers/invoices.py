"""invoice.*: the mirror `viewer.invoices` reads, and when a past-due debt began (ownership).

Recent API versions moved an invoice's subscription under `parent.subscription_details`; both
shapes are read.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, moment, section
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import Invoice

# An invoice only moves forward: draft, open, then one final state.
STATUS_RANK = {"draft": 0, "open": 1, "uncollectible": 2, "paid": 3, "void": 3}


def state_rank(snapshot: Snapshot) -> int:
    return STATUS_RANK.get(str(snapshot.get("status")), 0)


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    subscription = snapshot.get("subscription") or section(
        snapshot, "parent", "subscription_details"
    ).get("subscription")
    values = {
        "id": snapshot["id"],
        "customer_id": id_of(snapshot.get("customer")),
        "subscription_id": id_of(subscription),
        "status": snapshot.get("status") or "draft",
        "amount_due": snapshot.get("amount_due") or 0,
        "amount_paid": snapshot.get("amount_paid") or 0,
        "currency": snapshot["currency"],
        "created": moment(snapshot.get("created")),
        "hosted_invoice_url": snapshot.get("hosted_invoice_url"),
        "finalized_at": moment(section(snapshot, "status_transitions").get("finalized_at")),
    }
    await write_if_newer(connection, Invoice, values, version)


INVOICES = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.invoices.retrieve_async(object_id),
    state_rank=state_rank,
)
