"""Resolvers for the signed-in user and their own billing state, read from the mirror.

Each one reads the caller's billing state through `Context.user`, so no argument can name
somebody else's.
"""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.context import Context
from services.mirror import reads
from services.mirror.reads import InvoiceView, PaymentMethodView, SubscriptionView
from services.users import BillingUser


async def signed_in_user(context: Context) -> BillingUser:
    return await context.user()


async def subscriptions(context: Context, statuses: Sequence[str] | None) -> list[SubscriptionView]:
    return await reads.subscriptions(await context.user(), statuses)


async def has_active_subscription(
    context: Context, product_id: str | None, price_id: str | None
) -> bool:
    user = await context.user()
    access = context.services.access
    return await access.has_active_subscription(user, product_id=product_id, price_id=price_id)


async def access_groups(context: Context) -> list[str]:
    return await context.services.access_groups.of_viewer(await context.user())


async def entitlements(context: Context) -> list[str]:
    return await context.services.access.entitlements(await context.user())


async def invoices(context: Context, limit: int) -> list[InvoiceView]:
    return await reads.invoices(await context.user(), limit)


async def default_payment_method(context: Context) -> PaymentMethodView | None:
    return await reads.default_payment_method(await context.user())
