"""Users of the host app, created on their first authenticated request."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from services.auth import Principal
from services.bounded_cache import BoundedCache
from services.models import User

# Enough for every recently active customer of one instance; the oldest are read again.
MAX_CACHED_USERS = 50_000
# How long an email another instance stored may take to show here (for tokens without one).
MAX_CACHED_SECONDS = 60.0


@dataclass(frozen=True, slots=True)
class BillingUser:
    """Who the caller is to the services: ids only, so no layer above them holds a row."""

    user_id: str
    email: str | None
    customer_id: str | None


class BillingUsers:
    """The callers as billing users, kept in memory once they have a Stripe customer.

    Every authenticated request needs its billing user, which would otherwise cost a read (or an
    upsert) of the user row each time. Each instance keeps its own cache, and stays right about
    what other instances change:
    - the customer id: it never changes once set (it is only ever set where it is null, and
      never cleared; rows are never deleted), so a cached one is the same in every instance.
      Users without a customer are not cached, so a link a checkout or a webhook makes (in any
      instance) shows on the next request;
    - the email: a token carrying one the cached user does not have goes to the database, which
      stores it, exactly as without the cache. A token without an email claim shows the cached
      email, which another instance may have replaced since: entries older than `max_age`
      seconds are read again, so such a change shows everywhere within that time.
    """

    def __init__(
        self,
        max_size: int = MAX_CACHED_USERS,
        *,
        max_age: float = MAX_CACHED_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._linked: BoundedCache[str, BillingUser] = BoundedCache(max_size, max_age, clock=clock)

    async def ensure(self, principal: Principal) -> BillingUser:
        """The principal as a billing user, their row created on first use (see the class)."""
        cached = self._linked.get(principal.subject)
        if cached is not None and (not principal.email or principal.email == cached.email):
            return cached
        user = await ensure_billing_user(principal)
        if user.customer_id is not None:
            self._linked.put(principal.subject, user)
        return user


async def ensure_billing_user(principal: Principal) -> BillingUser:
    """The principal as a billing user, their row created once even by concurrent first requests."""
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
    return BillingUser(user.external_id, user.email, user.stripe_customer_id)


async def stored_customer_id(user_id: str) -> str | None:
    """The user's customer id as stored now, which a checkout or a webhook may have just set."""
    ids = await User.filter(external_id=user_id).values_list("stripe_customer_id", flat=True)
    return str(ids[0]) if ids and ids[0] is not None else None
