"""Users of the host app, created on their first authenticated request."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from services.auth import Principal
from services.models import User


async def ensure_user(principal: Principal) -> User:
    """Return the principal's row, creating it once even under concurrent first requests."""
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
    return user
