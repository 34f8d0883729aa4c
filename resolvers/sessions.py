"""Resolvers that send the signed-in user to Stripe (Checkout and the Customer Portal), and
confirm the Checkout they came back from."""

from __future__ import annotations

from resolvers.context import Context
from services.checkout import CheckoutRequest, CheckoutSessionView
from services.portal_sessions import PortalFlow, PortalSessionView
from services.users import BillingUser


async def create_checkout_session(
    context: Context, request: CheckoutRequest
) -> CheckoutSessionView:
    return await context.services.checkout.create(await context.user(), request)


async def confirm_checkout(context: Context, session_id: str) -> BillingUser:
    """The caller once the session is in their billing; the rest of the request sees them so."""
    user = await context.services.confirmations.confirm(await context.user(), session_id)
    context.update_user(user)
    return user


async def create_portal_session(
    context: Context, *, block_id: str | None, return_url: str | None, flow: PortalFlow | None
) -> PortalSessionView:
    return await context.services.portal.create(
        await context.user(), block_id=block_id, return_url=return_url, flow=flow
    )
