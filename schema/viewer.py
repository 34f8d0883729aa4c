"""The `Viewer` type: the signed-in user and their own billing state, and nobody else's."""

from __future__ import annotations

import strawberry

from resolvers import billing
from resolvers.context import Info
from schema.enums import SubscriptionStatus
from schema.types import Invoice, PaymentMethod, Subscription
from services.users import Account  # held privately, never exposed: strawberry needs it at runtime


async def _subscriptions(
    root: Viewer, info: Info, statuses: list[SubscriptionStatus] | None = None
) -> list[Subscription]:
    return await billing.subscriptions(info, root.account, statuses)


async def _has_active_subscription(
    root: Viewer, product_id: str | None = None, price_id: str | None = None
) -> bool:
    return await billing.has_active_subscription(root.account, product_id, price_id)


async def _invoices(root: Viewer, limit: int | None = 10) -> list[Invoice]:
    return await billing.invoices(root.account, 10 if limit is None else limit)


async def _default_payment_method(root: Viewer) -> PaymentMethod | None:
    return await billing.default_payment_method(root.account)


@strawberry.type(description="The signed-in user.")
class Viewer:
    id: strawberry.ID
    email: str | None
    customer_id: str | None = strawberry.field(
        description="Stripe customer id; null before the first checkout."
    )
    account: strawberry.Private[Account]
    subscriptions: list[Subscription] = strawberry.field(
        resolver=_subscriptions,
        description="Newest first; all statuses unless `statuses` is given.",
    )
    has_active_subscription: bool = strawberry.field(
        resolver=_has_active_subscription,
        description="An ACTIVE or TRIALING subscription (to this product and/or price).",
    )
    invoices: list[Invoice] = strawberry.field(
        resolver=_invoices, description="Newest first; limit between 1 and 100."
    )
    default_payment_method: PaymentMethod | None = strawberry.field(
        resolver=_default_payment_method
    )
