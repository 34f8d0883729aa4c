"""What the signed-in user's purchases give them now: subscriptions that count, the products they
own, and the features Stripe entitles them to.

Which purchases count is the mirror's ownership rule (services.mirror.ownership), applied with
this deployment's policy (the past-due grace, whether a refund ends a purchase) at the time of
the request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from services.mirror import reads
from services.mirror.ownership import (
    OwnershipPolicy,
    has_entitling_subscription,
    holdings,
    owned_products,
)
from services.text import storable
from services.users import BillingUser

WallClock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Access:
    def __init__(self, policy: OwnershipPolicy, *, now: WallClock = utc_now) -> None:
        self._policy = policy
        self._now = now

    async def has_active_subscription(
        self, user: BillingUser, *, product_id: str | None = None, price_id: str | None = None
    ) -> bool:
        """A subscription that counts (to this product and/or price)."""
        if not user.customer_id:
            return False
        if not all(storable(key) for key in (product_id, price_id) if key is not None):
            return False  # no stored row can hold such an id
        return has_entitling_subscription(
            await holdings(user.customer_id),
            self._policy,
            self._now(),
            product_id=product_id,
            price_id=price_id,
        )

    async def owned_products(self, user: BillingUser) -> frozenset[str]:
        """The products the user counts as having bought, now (one query)."""
        if not user.customer_id:
            return frozenset()
        return owned_products(await holdings(user.customer_id), self._policy, self._now())

    async def entitlements(self, user: BillingUser) -> list[str]:
        """The lookup keys of the features Stripe says the user is entitled to."""
        return await reads.entitlements(user)
