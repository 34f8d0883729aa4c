"""Resolvers of live subscriptions: the signed-in user's billing, pushed as it changes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from resolvers.context import Context
from services.users import BillingUser


async def billing_states(context: Context) -> AsyncIterator[BillingUser]:
    """The caller at once, then after each change of their billing; the billing fields of what
    is yielded read the state of that moment (`Context.update_user`)."""
    async for user in context.services.live.states(await context.principal()):
        context.update_user(user)
        yield user
