"""The `Viewer` type: the signed-in user and their own billing state, and nobody else's."""

from __future__ import annotations

import strawberry

from resolvers import viewer
from schema.enums import SubscriptionStatus
from schema.info import Info
from schema.mapping import copy_fields
from schema.types import Invoice, PaymentMethod, Subscription
from services.mirror.reads import MAX_INVOICES
from services.users import BillingUser

DEFAULT_INVOICE_LIMIT = 10


async def _subscriptions(
    info: Info, statuses: list[SubscriptionStatus] | None = None
) -> list[Subscription]:
    wanted = [status.value for status in statuses] if statuses is not None else None
    return [
        copy_fields(Subscription, view, status=SubscriptionStatus(view.status))
        for view in await viewer.subscriptions(info.context, wanted)
    ]


async def _has_active_subscription(
    info: Info, product_id: str | None = None, price_id: str | None = None
) -> bool:
    return await viewer.has_active_subscription(info.context, product_id, price_id)


async def _invoices(info: Info, limit: int | None = DEFAULT_INVOICE_LIMIT) -> list[Invoice]:
    wanted = DEFAULT_INVOICE_LIMIT if limit is None else limit
    return [copy_fields(Invoice, view) for view in await viewer.invoices(info.context, wanted)]


async def _default_payment_method(info: Info) -> PaymentMethod | None:
    card = await viewer.default_payment_method(info.context)
    return copy_fields(PaymentMethod, card) if card else None


@strawberry.type(description="The signed-in user.")
class Viewer:
    """The billing fields read the caller's own state through the request's context, not an id
    held here, so a Viewer can only ever show the signed-in user's billing."""

    id: strawberry.ID
    email: str | None
    customer_id: str | None = strawberry.field(
        description="Stripe customer id; null before the first checkout."
    )
    subscriptions: list[Subscription] = strawberry.field(
        resolver=_subscriptions,
        description="Newest first; all statuses unless `statuses` is given.",
    )
    has_active_subscription: bool = strawberry.field(
        resolver=_has_active_subscription,
        description="An ACTIVE or TRIALING subscription (to this product and/or price).",
    )
    invoices: list[Invoice] = strawberry.field(
        resolver=_invoices, description=f"Newest first; limit between 1 and {MAX_INVOICES}."
    )
    default_payment_method: PaymentMethod | None = strawberry.field(
        resolver=_default_payment_method
    )

    @classmethod
    def of(cls, user: BillingUser) -> Viewer:
        return cls(id=strawberry.ID(user.user_id), email=user.email, customer_id=user.customer_id)
