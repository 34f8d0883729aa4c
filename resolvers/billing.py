"""Resolvers for the viewer's billing state (subscriptions, entitlement, card, invoices)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from schema.enums import SubscriptionStatus
from schema.types import Invoice, PaymentMethod, Subscription
from services import subscriptions as mirror

if TYPE_CHECKING:
    from services import models


async def subscriptions(
    user: models.User, statuses: list[SubscriptionStatus] | None
) -> list[Subscription]:
    wanted = [status.value for status in statuses] if statuses is not None else None
    return [_subscription(row) for row in await mirror.subscriptions(user, wanted)]


async def has_active_subscription(
    user: models.User, product_id: str | None, price_id: str | None
) -> bool:
    return await mirror.has_active_subscription(user, product_id=product_id, price_id=price_id)


async def invoices(user: models.User, limit: int) -> list[Invoice]:
    return [
        Invoice(
            id=strawberry.ID(row.id),
            status=row.status,
            amount_due=row.amount_due,
            amount_paid=row.amount_paid,
            currency=row.currency,
            created=row.created,
            hosted_invoice_url=row.hosted_invoice_url,
        )
        for row in await mirror.invoices(user, limit)
    ]


async def default_payment_method(user: models.User) -> PaymentMethod | None:
    row = await mirror.default_payment_method(user)
    if row is None:
        return None
    return PaymentMethod(
        id=strawberry.ID(row.id),
        brand=row.brand,
        last4=row.last4,
        exp_month=row.exp_month,
        exp_year=row.exp_year,
    )


def _subscription(row: models.Subscription) -> Subscription:
    return Subscription(
        id=strawberry.ID(row.id),
        status=SubscriptionStatus(row.status),
        price_id=row.price_id,
        quantity=row.quantity,
        current_period_end=row.current_period_end,
        cancel_at_period_end=row.cancel_at_period_end,
        canceled_at=row.canceled_at,
        trial_end=row.trial_end,
        created=row.created,
        stored_product_id=row.product_id,
        stored_plan_name=row.plan_name,
    )
