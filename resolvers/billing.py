"""Resolvers for the viewer's billing state (subscriptions, entitlement, card, invoices)."""

from __future__ import annotations

from resolvers.context import Info
from resolvers.mapping import copy_fields
from schema.enums import SubscriptionStatus
from schema.types import Invoice, PaymentMethod, Subscription
from services import subscriptions as mirror
from services.users import Account


async def subscriptions(
    info: Info, account: Account, statuses: list[SubscriptionStatus] | None
) -> list[Subscription]:
    wanted = [status.value for status in statuses] if statuses is not None else None
    catalog = info.context.services.api.catalog
    return [
        copy_fields(Subscription, view, status=SubscriptionStatus(view.status))
        for view in await mirror.subscriptions(account, catalog, wanted)
    ]


async def has_active_subscription(
    account: Account, product_id: str | None, price_id: str | None
) -> bool:
    return await mirror.has_active_subscription(account, product_id=product_id, price_id=price_id)


async def invoices(account: Account, limit: int) -> list[Invoice]:
    return [copy_fields(Invoice, view) for view in await mirror.invoices(account, limit)]


async def default_payment_method(account: Account) -> PaymentMethod | None:
    view = await mirror.default_payment_method(account)
    return copy_fields(PaymentMethod, view) if view else None
