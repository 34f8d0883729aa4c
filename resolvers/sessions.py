"""Resolvers that send the signed-in user to Stripe: Checkout and the Customer Portal."""

from __future__ import annotations

from resolvers.context import Context
from services.checkout import CheckoutRequest, CheckoutSessionView
from services.portal_sessions import PortalFlow, PortalSessionView


async def create_checkout_session(
    context: Context, request: CheckoutRequest
) -> CheckoutSessionView:
    return await context.services.checkout.create(await context.user(), request)


async def create_portal_session(
    context: Context, *, block_id: str | None, return_url: str | None, flow: PortalFlow | None
) -> PortalSessionView:
    return await context.services.portal.create(
        await context.user(), block_id=block_id, return_url=return_url, flow=flow
    )
