"""checkout.session.completed and .expired: who the session's customer belongs to.

A subscription bought through Checkout reaches the mirror through its own
customer.subscription.* events; the session only carries the user link
(`client_reference_id`, or `metadata.user_id`).
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, section
from services.mirror.handlers.links import link_customer
from services.mirror.ordering import Phase, Version


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    customer_id = id_of(snapshot.get("customer"))
    user_id = snapshot.get("client_reference_id") or section(snapshot, "metadata").get("user_id")
    if customer_id and isinstance(user_id, str) and user_id:
        await link_customer(connection, user_id, customer_id)


CHECKOUT_SESSIONS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.checkout.sessions.retrieve_async(object_id),
)
