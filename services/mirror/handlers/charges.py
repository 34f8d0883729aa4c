"""charge.refunded: whether a payment was refunded in full, which can end a one-time purchase.

Stripe sends `charge.refunded` for partial refunds too; the charge's own `refunded` says whether
the whole amount went back. A refund is never undone, so a refunded snapshot outranks another
of the same second.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import Charge


def state_rank(snapshot: Snapshot) -> int:
    return 1 if snapshot.get("refunded") is True else 0


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    values = {
        "id": snapshot["id"],
        "customer_id": id_of(snapshot.get("customer")),
        "payment_intent_id": id_of(snapshot.get("payment_intent")),
        "amount": snapshot.get("amount") or 0,
        "amount_refunded": snapshot.get("amount_refunded") or 0,
        "refunded": snapshot.get("refunded") is True,
    }
    await write_if_newer(connection, Charge, values, version)


CHARGES = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.charges.retrieve_async(object_id),
    state_rank=state_rank,
)
