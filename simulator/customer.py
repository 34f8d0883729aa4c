"""A signed-in user of the host app, driving the service over HTTP the way an SPA does."""

from __future__ import annotations

from typing import Any

import httpx

from simulator.connections import no_answer

VIEWER_STATE = """
query ViewerState {
  viewer {
    customerId
    subscriptions { id status priceId productId planName quantity cancelAtPeriodEnd
                    currentPeriodEnd canceledAt trialEnd }
    hasActiveSubscription
    defaultPaymentMethod { id brand last4 expMonth expYear }
    invoices { id status amountDue amountPaid currency }
  }
}
"""
PLANS = "query Plans { plans { priceId productId name unitAmount currency interval } }"
CREATE_CHECKOUT = """
mutation Checkout($input: CheckoutInput!) { createCheckoutSession(input: $input) { id url } }
"""
SAVE_BLOCK = """
mutation SaveBlock($input: PortalBlockInput!) { savePortalBlock(input: $input) { id redirectUrl } }
"""
PORTAL_BLOCK = "query Block($id: ID!) { portalBlock(id: $id) { id title redirectUrl } }"
CREATE_PORTAL = """
mutation Portal($input: PortalSessionInput!) {
  createPortalSession(input: $input) { id url returnUrl }
}
"""


class ServiceRefused(Exception):
    """The service answered a GraphQL call with errors (or not with GraphQL at all)."""


class ServiceUnreachable(Exception):
    """A GraphQL call got no HTTP answer at all (connection dropped, timed out)."""


class Customer:
    def __init__(self, http: httpx.AsyncClient, graphql_url: str, token: str) -> None:
        self._http = http
        self._url = graphql_url
        self._headers = {"authorization": f"Bearer {token}"}

    async def call(
        self, operation: str, document: str, variables: dict[str, Any] | None = None
    ) -> Any:
        """The `data` of `operation` (the document's operation name, which messages quote)."""
        payload = {"query": document, "variables": variables or {}, "operationName": operation}
        try:
            response = await self._http.post(self._url, json=payload, headers=self._headers)
        except httpx.RequestError as error:
            raise ServiceUnreachable(
                f"{operation}: {no_answer(error)}, expected a GraphQL answer"
            ) from error
        try:
            body = response.json()
        except ValueError:
            raise ServiceRefused(
                f"{operation}: HTTP {response.status_code} without a JSON body, "
                "expected a GraphQL answer"
            ) from None
        errors = body.get("errors") if isinstance(body, dict) else None
        if response.status_code != 200 or errors:
            described = "; ".join(
                f"{error.get('extensions', {}).get('code')}: {error.get('message')}"
                for error in errors or []
            )
            raise ServiceRefused(
                f"{operation} answered {described or f'HTTP {response.status_code}'}, "
                "expected its data"
            )
        return body["data"]

    async def plans(self) -> list[dict[str, Any]]:
        data = await self.call("Plans", PLANS)
        plans: list[dict[str, Any]] = data["plans"]
        return plans

    async def create_checkout_session(self, checkout_input: dict[str, Any]) -> dict[str, Any]:
        data = await self.call("Checkout", CREATE_CHECKOUT, {"input": checkout_input})
        session: dict[str, Any] = data["createCheckoutSession"]
        return session

    async def save_portal_block(self, title: str, redirect_url: str) -> dict[str, Any]:
        data = await self.call(
            "SaveBlock", SAVE_BLOCK, {"input": {"title": title, "redirectUrl": redirect_url}}
        )
        block: dict[str, Any] = data["savePortalBlock"]
        return block

    async def portal_block(self, block_id: str) -> dict[str, Any] | None:
        data = await self.call("Block", PORTAL_BLOCK, {"id": block_id})
        block: dict[str, Any] | None = data["portalBlock"]
        return block

    async def create_portal_session(self, block_id: str, flow: str | None) -> dict[str, Any]:
        portal_input: dict[str, Any] = {"blockId": block_id}
        if flow is not None:
            portal_input["flow"] = flow
        data = await self.call("Portal", CREATE_PORTAL, {"input": portal_input})
        session: dict[str, Any] = data["createPortalSession"]
        return session

    async def viewer(self) -> dict[str, Any]:
        data = await self.call("ViewerState", VIEWER_STATE)
        viewer: dict[str, Any] = data["viewer"]
        return viewer
