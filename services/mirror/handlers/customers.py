"""customer.*: email, deletion and the default card (`invoice_settings.default_payment_method`).

A customer created by this service carries `metadata.user_id`, which also links it to its user.
"""

from __future__ import annotations

import logging

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, is_deleted, section
from services.mirror.handlers.links import link_customer
from services.mirror.ordering import Phase, Version
from services.mirror.store import write_if_newer
from services.models import STRIPE_EMAIL_MAX_LENGTH, Customer
from services.notifications import customer_topic, user_topic

logger = logging.getLogger(__name__)


def _email(snapshot: Snapshot) -> str | None:
    """The customer's email, or None for one longer than Stripe accepts: the email only
    describes the customer, so it must not fail the event that also carries its deletion, its
    default card and its user."""
    email = snapshot.get("email")
    if not isinstance(email, str) or len(email) <= STRIPE_EMAIL_MAX_LENGTH:
        return email
    logger.warning(
        "customer %s has an email of %d characters, longer than Stripe accepts (%d): "
        "mirrored without it",
        snapshot["id"],
        len(email),
        STRIPE_EMAIL_MAX_LENGTH,
    )
    return None


def _default_card(snapshot: Snapshot) -> str | None:
    return id_of(section(snapshot, "invoice_settings").get("default_payment_method"))


def state_rank(snapshot: Snapshot) -> int:
    """Deleted outranks everything, then a default card outranks none.

    A customer is never restored once deleted. Its default card starts unset, and is cleared
    only by detaching that card or by an explicit update: a later request than the one that set
    it, so never the same second.
    """
    if snapshot.get("deleted") is True:
        return 2
    return 1 if _default_card(snapshot) else 0


def _user_id(snapshot: Snapshot) -> str | None:
    user_id = section(snapshot, "metadata").get("user_id")
    return user_id if isinstance(user_id, str) and user_id else None


def owners(snapshot: Snapshot) -> tuple[str, ...]:
    """The customer, and its user: the customer may be the one that links them."""
    user_id = _user_id(snapshot)
    return (customer_topic(snapshot["id"]), *((user_topic(user_id),) if user_id else ()))


async def apply(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    user_id = _user_id(snapshot)
    deleted = is_deleted(snapshot, phase)
    values = {
        "id": snapshot["id"],
        "user_external_id": user_id,
        "email": _email(snapshot),
        "default_payment_method_id": _default_card(snapshot),
        "deleted": deleted,
    }
    await write_if_newer(connection, Customer, values, version)
    if user_id and not deleted:
        await link_customer(connection, user_id, snapshot["id"])


CUSTOMERS = Family(
    apply=apply,
    retrieve=lambda v1, object_id: v1.customers.retrieve_async(object_id),
    state_rank=state_rank,
    owners=owners,
)
