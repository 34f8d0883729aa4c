"""Resolvers for the viewer's billing state (subscriptions, entitlement, card, invoices)."""

from __future__ import annotations

import strawberry

from schema.enums import SubscriptionStatus
from schema.types import Invoice, PaymentMethod, Subscription
from services import subscriptions as mirror
from services.users import Account


async def subscriptions(
    account: Account, statuses: list[SubscriptionStatus] | None
) -> list[Subscription]:
    wanted = [status.value for status in statuses] if statuses is not None else None
    return [_subscription(view) for view in await mirror.subscriptions(account, wanted)]


async def has_active_subscription(
    account: Account, product_id: str | None, price_id: str | None
) -> bool:
    return await mirror.has_active_subscription(account, product_id=product_id, price_id=price_id)


async def invoices(account: Account, limit: int) -> list[Invoice]:
    return [
        Invoice(
            id=strawberry.ID(view.id),
            status=view.status,
            amount_due=view.amount_due,
            amount_paid=view.amount_paid,
            currency=view.currency,
            created=view.created,
            hosted_invoice_url=view.hosted_invoice_url,
        )
        for view in await mirror.invoices(account, limit)
    ]


async def default_payment_method(account: Account) -> PaymentMethod | None:
    view = await mirror.default_payment_method(account)
    if view is None:
        return None
    return PaymentMethod(
        id=strawberry.ID(view.id),
        brand=view.brand,
        last4=view.last4,
        exp_month=view.exp_month,
        exp_year=view.exp_year,
    )


def _subscription(view: mirror.SubscriptionView) -> Subscription:
    return Subscription(
        id=strawberry.ID(view.id),
        status=SubscriptionStatus(view.status),
        price_id=view.price_id,
        quantity=view.quantity,
        current_period_end=view.current_period_end,
        cancel_at_period_end=view.cancel_at_period_end,
        canceled_at=view.canceled_at,
        trial_end=view.trial_end,
        created=view.created,
        stored_product_id=view.product_id,
        stored_plan_name=view.plan_name,
    )
