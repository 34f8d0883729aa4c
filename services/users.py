"""Users of the host app, created on their first authenticated request."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from services.auth import Principal
from services.models import User


@dataclass(frozen=True, slots=True)
class Account:
    """Who the caller is to the services: ids only, so no layer above them holds a row."""

    user_id: str
    email: str | None
    customer_id: str | None


async def ensure_account(principal: Principal) -> Account:
    """The principal's account, creating its user once even under concurrent first requests."""
    user = await User.get_or_none(external_id=principal.subject)
    if user is None:
        try:
            user = await User.create(external_id=principal.subject, email=principal.email)
        except IntegrityError:
            # A concurrent first request created it between our read and our insert.
            user = await User.get(external_id=principal.subject)
    if principal.email and user.email != principal.email:
        user.email = principal.email
        await user.save(update_fields=["email", "updated_at"])
    return Account(user.external_id, user.email, user.stripe_customer_id)


async def stored_customer_id(user_id: str) -> str | None:
    """The user's customer id as stored now, which a checkout or a webhook may have just set."""
    ids = await User.filter(external_id=user_id).values_list("stripe_customer_id", flat=True)
    return str(ids[0]) if ids and ids[0] is not None else None
