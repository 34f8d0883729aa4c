"""Resolvers that send the viewer to Stripe: Checkout and the Customer Portal."""

from __future__ import annotations

from resolvers.context import Info
from resolvers.mapping import copy_fields
from schema.enums import CheckoutMode
from schema.inputs import CheckoutInput, PortalSessionInput
from schema.types import CheckoutSession, PortalSession
from services.checkout import CheckoutRequest


async def create_checkout_session(info: Info, input: CheckoutInput) -> CheckoutSession:
    account = await info.context.account()
    request = copy_fields(
        CheckoutRequest,
        input,
        quantity=1 if input.quantity is None else input.quantity,
        mode=(input.mode or CheckoutMode.SUBSCRIPTION).value,
        allow_promotion_codes=bool(input.allow_promotion_codes),
    )
    session = await info.context.services.api.checkout.create(account, request)
    return copy_fields(CheckoutSession, session)


async def create_portal_session(info: Info, input: PortalSessionInput) -> PortalSession:
    account = await info.context.account()
    session = await info.context.services.api.portal.create(
        account,
        block_id=input.block_id,
        return_url=input.return_url,
        flow=input.flow.value if input.flow else None,
    )
    return copy_fields(PortalSession, session)
