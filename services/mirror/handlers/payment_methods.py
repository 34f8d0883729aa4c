"""payment_method.*: the cards `viewer.defaultPaymentMethod` can point at."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, section
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import PaymentMethod


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    card = section(snapshot, "card")
    values = {
        "id": snapshot["id"],
        "customer_id": id_of(snapshot.get("customer")),
        "brand": card.get("brand"),
        "last4": card.get("last4"),
        "exp_month": card.get("exp_month"),
        "exp_year": card.get("exp_year"),
        "detached": phase is Phase.ENDED,
    }
    await write_if_newer(connection, PaymentMethod, values, version)


PAYMENT_METHODS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.payment_methods.retrieve_async(object_id),
)
