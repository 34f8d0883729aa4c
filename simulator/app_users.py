"""The host app's people as the service sees them: a signed-in user driving the SPA, and the
admin who set up the Customer Portal block. Both call GraphQL through the toolkit's client,
each with their own bearer token.
"""

from __future__ import annotations

from typing import Any

from simulator.toolkit.graphql import GraphQLClient

# What the app shows of the viewer's billing: after sign-in, and at Checkout's success page.
BILLING_STATE = """
fragment BillingState on Viewer {
  customerId
  subscriptions { id status priceId productId planName quantity cancelAtPeriodEnd cancelAt
                  currentPeriodEnd canceledAt trialEnd defaultPaymentMethod { brand last4 } }
  hasActiveSubscription
  accessGroups
  entitlements
  defaultPaymentMethod { id brand last4 expMonth expYear }
  invoices { id status amountDue amountPaid currency hostedInvoiceUrl }
}
"""
VIEWER_STATE = "query ViewerState { viewer { ...BillingState } }" + BILLING_STATE
CONFIRM_CHECKOUT = (
    "mutation ConfirmCheckout($sessionId: ID!) "
    "{ confirmCheckout(sessionId: $sessionId) { ...BillingState } }" + BILLING_STATE
)
PLANS = "query Plans { plans { priceId productId name unitAmount currency interval } }"
CREATE_CHECKOUT = """
mutation Checkout($input: CheckoutInput!) { createCheckoutSession(input: $input) { id url } }
"""
SAVE_BLOCK = """
mutation SaveBlock($input: PortalBlockInput!) { savePortalBlock(input: $input) { id redirectUrl } }
"""
CONFIGURE_PORTAL = """
mutation ConfigurePortal($input: PortalConfigurationInput!) {
  configureCustomerPortal(input: $input) { id updateSubscriptionPriceIds }
}
"""
SAVE_ACCESS_GROUP = """
mutation SaveAccessGroup($input: AccessGroupInput!) { saveAccessGroup(input: $input) { key } }
"""
PORTAL_BLOCK = "query Block($id: ID!) { portalBlock(id: $id) { id title redirectUrl } }"
CREATE_PORTAL = """
mutation Portal($input: PortalSessionInput!) {
  createPortalSession(input: $input) { id url returnUrl }
}
"""


class AppUser:
    """A signed-in user of the host app: reads plans and their billing, opens Stripe's pages."""

    def __init__(self, graphql: GraphQLClient) -> None:
        self._graphql = graphql

    async def plans(self) -> list[dict[str, Any]]:
        data = await self._graphql.data("Plans", PLANS)
        plans: list[dict[str, Any]] = data["plans"]
        return plans

    async def create_checkout_session(self, checkout_input: dict[str, Any]) -> dict[str, Any]:
        data = await self._graphql.data("Checkout", CREATE_CHECKOUT, {"input": checkout_input})
        session: dict[str, Any] = data["createCheckoutSession"]
        return session

    async def portal_block(self, block_id: str) -> dict[str, Any] | None:
        data = await self._graphql.data("Block", PORTAL_BLOCK, {"id": block_id})
        block: dict[str, Any] | None = data["portalBlock"]
        return block

    async def create_portal_session(self, block_id: str, flow: str | None) -> dict[str, Any]:
        portal_input: dict[str, Any] = {"blockId": block_id}
        if flow is not None:
            portal_input["flow"] = flow
        data = await self._graphql.data("Portal", CREATE_PORTAL, {"input": portal_input})
        session: dict[str, Any] = data["createPortalSession"]
        return session

    async def confirm_checkout(self, session_id: str) -> dict[str, Any]:
        """At the success page: the viewer once the session the browser came back with is in
        their billing."""
        data = await self._graphql.data(
            "ConfirmCheckout", CONFIRM_CHECKOUT, {"sessionId": session_id}
        )
        viewer: dict[str, Any] = data["confirmCheckout"]
        return viewer

    async def viewer(self) -> dict[str, Any]:
        data = await self._graphql.data("ViewerState", VIEWER_STATE)
        viewer: dict[str, Any] = data["viewer"]
        return viewer


class AppAdmin:
    """The host app's admin (an admin-role token): configures the portal and saves its block."""

    def __init__(self, graphql: GraphQLClient) -> None:
        self._graphql = graphql

    async def configure_customer_portal(self, switchable_price_ids: list[str]) -> dict[str, Any]:
        """Every portal feature on; customers may switch between (and change the quantity of)
        `switchable_price_ids`."""
        portal_input = {
            "cancelSubscription": True,
            "updatePaymentMethod": True,
            "updateSubscription": True,
            "invoiceHistory": True,
            "updateCustomerDetails": False,
            "updateSubscriptionPriceIds": switchable_price_ids,
        }
        data = await self._graphql.data(
            "ConfigurePortal", CONFIGURE_PORTAL, {"input": portal_input}
        )
        configuration: dict[str, Any] = data["configureCustomerPortal"]
        return configuration

    async def save_portal_block(self, title: str, redirect_url: str) -> dict[str, Any]:
        data = await self._graphql.data(
            "SaveBlock", SAVE_BLOCK, {"input": {"title": title, "redirectUrl": redirect_url}}
        )
        block: dict[str, Any] = data["savePortalBlock"]
        return block

    async def save_access_group(
        self, key: str, name: str, condition: str, product_ids: list[str]
    ) -> None:
        group = {"key": key, "name": name, "condition": condition, "productIds": product_ids}
        await self._graphql.data("SaveAccessGroup", SAVE_ACCESS_GROUP, {"input": group})
