"""payment_method.*: the cards `viewer.defaultPaymentMethod` and a subscription's card point at.

A card without a customer has been detached (the detach event, or any later snapshot of it):
Stripe never attaches a detached payment method again, so that state is final.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, section
from services.mirror.ordering import Phase, Version, embedded_version
from services.mirror.store import write_if_newer
from services.models import PaymentMethod


def is_detached(snapshot: Snapshot) -> bool:
    return id_of(snapshot.get("customer")) is None


def state_rank(snapshot: Snapshot) -> int:
    """A detached snapshot outranks an attached one of the same second."""
    return 1 if is_detached(snapshot) else 0


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
        "detached": phase is Phase.ENDED or is_detached(snapshot),
    }
    await write_if_newer(connection, PaymentMethod, values, version)


async def apply_embedded(
    connection: BaseDBAsyncClient, snapshot: Snapshot, carrier: Version
) -> None:
    """A card expanded inside another object's snapshot, stored as a change seen at that moment."""
    version = embedded_version(carrier, state_rank(snapshot))
    await apply(connection, snapshot, version, Phase.CHANGED)


PAYMENT_METHODS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.payment_methods.retrieve_async(object_id),
    state_rank=state_rank,
)
