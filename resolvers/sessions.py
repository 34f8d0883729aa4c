"""Resolvers that send the viewer to Stripe: Checkout and the Customer Portal."""

from __future__ import annotations

from resolvers.context import Info
from schema.enums import CheckoutMode
from schema.inputs import CheckoutInput, PortalSessionInput
from schema.types import CheckoutSession, PortalSession
from services.checkout import CheckoutRequest


async def create_checkout_session(info: Info, input: CheckoutInput) -> CheckoutSession:
    account = await info.context.account()
    request = CheckoutRequest(
        price_id=input.price_id,
        success_url=input.success_url,
        cancel_url=input.cancel_url,
        quantity=1 if input.quantity is None else input.quantity,
        mode=(input.mode or CheckoutMode.SUBSCRIPTION).value,
        allow_promotion_codes=bool(input.allow_promotion_codes),
        trial_days=input.trial_days,
    )
    session = await info.context.services.api.checkout.create(account, request)
    return CheckoutSession(id=session.id, url=session.url)


async def create_portal_session(info: Info, input: PortalSessionInput) -> PortalSession:
    account = await info.context.account()
    session = await info.context.services.api.portal.create(
        account,
        block_id=input.block_id,
        return_url=input.return_url,
        flow=input.flow.value if input.flow else None,
    )
    return PortalSession(id=session.id, url=session.url, return_url=session.return_url)
