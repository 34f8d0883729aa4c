"""Customer Portal sessions: a short-lived Stripe page where a user manages their own billing.

The page sends the user back to a return URL that is either a portal block's Redirect URL or a
URL the caller gave, checked by the redirect rule. A `flow` deep-links into one task; the ones
that act on a subscription use the user's own current subscription from the mirror.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from services.customers import StripeCustomers
from services.errors import BadUserInput, NotFound
from services.mirror.reads import current_subscription_id
from services.portal_blocks import PortalBlocks
from services.portal_configuration import PortalConfigurations
from services.rate_limit import SessionLimiter
from services.stripe_gateway import StripeGateway
from services.urls import RedirectPolicy
from services.users import BillingUser

if TYPE_CHECKING:
    from stripe.params.billing_portal import SessionCreateParams, SessionCreateParamsFlowData

PortalFlow = Literal["payment_method_update", "subscription_cancel", "subscription_update"]


@dataclass(frozen=True, slots=True)
class PortalSessionView:
    id: str
    url: str
    return_url: str


class PortalSessions:
    def __init__(
        self,
        *,
        stripe: StripeGateway,
        blocks: PortalBlocks,
        configurations: PortalConfigurations,
        redirects: RedirectPolicy,
        limiter: SessionLimiter,
    ) -> None:
        self._stripe = stripe
        self._blocks = blocks
        self._configurations = configurations
        self._redirects = redirects
        self._limiter = limiter

    async def create(
        self,
        user: BillingUser,
        *,
        block_id: str | None = None,
        return_url: str | None = None,
        flow: PortalFlow | None = None,
    ) -> PortalSessionView:
        await self._limiter.hit(user.user_id)
        target = await self._return_url(block_id, return_url)
        customer_id = await StripeCustomers.require_customer(user)
        params: SessionCreateParams = {"customer": customer_id, "return_url": target}
        if flow is not None:
            params["flow_data"] = await _flow_data(flow, customer_id, target)
        configuration_id = await self._configurations.stripe_id()
        if configuration_id is not None:
            params["configuration"] = configuration_id
        # Two fields are needed: plain JSON spares building the session's StripeObjects.
        session = await self._stripe.post_raw("/v1/billing_portal/sessions", params)
        return PortalSessionView(id=session["id"], url=session["url"], return_url=target)

    async def _return_url(self, block_id: str | None, return_url: str | None) -> str:
        if (block_id is None) == (return_url is None):
            raise BadUserInput("Give exactly one of blockId and returnUrl.")
        if return_url is not None:
            return self._redirects.redirect_url(return_url, field="returnUrl")
        assert block_id is not None
        block = await self._blocks.get(block_id)
        if block is None:
            raise NotFound("No portal block has this id.")
        # Checked again: the allowed hosts may have changed since the admin saved the block.
        return self._redirects.redirect_url(block.redirect_url, field="the block's redirectUrl")


async def _flow_data(
    flow: PortalFlow, customer_id: str, return_url: str
) -> SessionCreateParamsFlowData:
    data: SessionCreateParamsFlowData = {
        "type": flow,
        "after_completion": {"type": "redirect", "redirect": {"return_url": return_url}},
    }
    if flow == "payment_method_update":
        return data
    subscription_id = await current_subscription_id(customer_id)
    if subscription_id is None:
        raise BadUserInput("You have no current subscription to change.")
    if flow == "subscription_cancel":
        data["subscription_cancel"] = {"subscription": subscription_id}
    else:
        data["subscription_update"] = {"subscription": subscription_id}
    return data
