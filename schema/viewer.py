"""The `Viewer` type: the signed-in user and their own billing state, and nobody else's."""

from __future__ import annotations

import strawberry

from resolvers import viewer
from schema.enums import SubscriptionStatus
from schema.info import Info
from schema.mapping import copy_fields
from schema.types import Invoice, PaymentMethod, Subscription
from services.mirror.reads import MAX_INVOICES, PaymentMethodView
from services.users import BillingUser

DEFAULT_INVOICE_LIMIT = 10


async def _subscriptions(
    info: Info, statuses: list[SubscriptionStatus] | None = None
) -> list[Subscription]:
    wanted = [status.value for status in statuses] if statuses is not None else None
    return [
        copy_fields(
            Subscription,
            view,
            status=SubscriptionStatus(view.status),
            default_payment_method=_payment_method(view.default_payment_method),
        )
        for view in await viewer.subscriptions(info.context, wanted)
    ]


async def _has_active_subscription(
    info: Info, product_id: str | None = None, price_id: str | None = None
) -> bool:
    return await viewer.has_active_subscription(info.context, product_id, price_id)


async def _access_groups(info: Info) -> list[str]:
    return await viewer.access_groups(info.context)


async def _entitlements(info: Info) -> list[str]:
    return await viewer.entitlements(info.context)


async def _invoices(info: Info, limit: int | None = DEFAULT_INVOICE_LIMIT) -> list[Invoice]:
    wanted = DEFAULT_INVOICE_LIMIT if limit is None else limit
    return [copy_fields(Invoice, view) for view in await viewer.invoices(info.context, wanted)]


async def _default_payment_method(info: Info) -> PaymentMethod | None:
    return _payment_method(await viewer.default_payment_method(info.context))


def _payment_method(card: PaymentMethodView | None) -> PaymentMethod | None:
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
        description=(
            "An ACTIVE or TRIALING subscription, or a PAST_DUE one within the grace period "
            "(to this product and/or price)."
        ),
    )
    access_groups: list[str] = strawberry.field(
        resolver=_access_groups, description="Keys of the access groups the viewer is in now."
    )
    entitlements: list[str] = strawberry.field(
        resolver=_entitlements,
        description="Lookup keys of the Stripe features the viewer is entitled to now.",
    )
    invoices: list[Invoice] = strawberry.field(
        resolver=_invoices,
        description=f"Issued ones (no drafts), newest first; limit between 1 and {MAX_INVOICES}.",
    )
    default_payment_method: PaymentMethod | None = strawberry.field(
        resolver=_default_payment_method,
        description="The customer's default card, else the card of their current subscription.",
    )

    @classmethod
    def of(cls, user: BillingUser) -> Viewer:
        return cls(id=strawberry.ID(user.user_id), email=user.email, customer_id=user.customer_id)
