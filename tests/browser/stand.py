"""The whole stack a person clicks through in dev, served on loopback ports in this process: the
service (with its demo app at /demo/) on the suite's database, and the local Stripe (its API,
Checkout and Customer Portal pages) in front of the suite's stripe-mock.

Each sends to the other: the service calls the local Stripe's API, the local Stripe delivers
its webhooks to the service. So the service's port is chosen first, the local Stripe starts with
its webhook URL, then the service starts on that port pointed at the local Stripe.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from billing_portal.app import create_app
from billing_portal.settings import WEBHOOK_PATH, load_settings
from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.server import LocalStripeOptions, running_local_stripe
from simulator.toolkit.graphql import GRAPHQL_PATH, GraphQLClient
from simulator.toolkit.loopback import loopback_socket, serving, url_of
from tests.browser.screens import SUCCESS_CARD

START_CHECKOUT = """
mutation StartCheckout($input: CheckoutInput!) {
  createCheckoutSession(input: $input) { id }
}
"""
OPEN_PORTAL = """
mutation OpenPortal($blockId: ID!) {
  createPortalSession(input: { blockId: $blockId }) { url }
}
"""


@dataclass(frozen=True)
class Stand:
    """The running stack, and a way to act on it without a browser (for a test's preamble)."""

    service_url: str
    local: LocalStripe
    http: httpx.AsyncClient

    @property
    def demo_url(self) -> str:
        return f"{self.service_url}/demo/"

    async def token_for(self, user: str) -> str:
        """What the demo's sign-in gives `user`'s browser."""
        response = await self.http.post(f"{self.service_url}/demo/token", json={"user": user})
        response.raise_for_status()
        token: str = response.json()["token"]
        return token

    def price_id(self, plan: str) -> str:
        """The price of the catalog's `plan` ("basic", "pro")."""
        return self.local.side.catalog[plan].price_id

    async def portal_block_id(self) -> str:
        """The Customer Portal block the demo shows (it saves one on its first visit)."""
        response = await self.http.get(f"{self.service_url}/demo/config")
        response.raise_for_status()
        block_id: str = response.json()["portalBlockId"]
        return block_id

    async def subscribe(self, user: str, plan: str) -> None:
        """`user` goes through Checkout for `plan` with the success card, without a browser."""
        session_id = await self.start_checkout(user, plan)
        await self.local.complete_checkout(session_id, CardInput(SUCCESS_CARD))

    async def start_checkout(self, user: str, plan: str) -> str:
        """The id of a Checkout Session for `user` and `plan` that the demo would open, left
        open."""
        checkout = {
            "priceId": self.price_id(plan),
            "successUrl": f"{self.demo_url}?checkout=success&session={{CHECKOUT_SESSION_ID}}",
            "cancelUrl": f"{self.demo_url}?checkout=canceled",
        }
        data = await self.graphql(
            "StartCheckout", START_CHECKOUT, {"input": checkout}, as_user=user
        )
        session_id: str = data["createCheckoutSession"]["id"]
        return session_id

    async def cancel_at_period_end(self, user: str) -> None:
        """`user` cancels in a portal session opened from the demo's block, without a browser."""
        variables = {"blockId": await self.portal_block_id()}
        data = await self.graphql("OpenPortal", OPEN_PORTAL, variables, as_user=user)
        portal_session_id = data["createPortalSession"]["url"].rstrip("/").rpartition("/")[2]
        await self.local.cancel_subscription(portal_session_id)

    async def graphql(
        self,
        operation: str,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        as_user: str,
    ) -> Any:
        """`operation`'s data, as the demo user `as_user`; an error fails the test."""
        token = await self.token_for(as_user)
        client = GraphQLClient(self.http, url=f"{self.service_url}{GRAPHQL_PATH}", token=token)
        return await client.data(operation, document, variables)


def to_the_service(service_url: str) -> str:
    return f"{service_url}{WEBHOOK_PATH}"


@asynccontextmanager
async def running_stand(
    stripe_mock_url: str,
    database_url: str,
    *,
    webhooks_to: Callable[[str], str] = to_the_service,
) -> AsyncIterator[Stand]:
    """The stack, whose local Stripe sends its webhooks where `webhooks_to` says for the
    service's base URL."""
    settings = load_settings(
        billing_env="test", database_url=database_url, rate_limit_sessions_per_minute=0
    )
    service_socket = loopback_socket()
    options = LocalStripeOptions(
        webhook_url=webhooks_to(url_of(service_socket)),
        webhook_secret=settings.webhook_secret,
        stripe_mock_url=stripe_mock_url,
    )
    async with AsyncExitStack() as stack:
        local_stripe = await stack.enter_async_context(running_local_stripe(options))
        on_local_stripe = settings.model_copy(update={"stripe_api_base": local_stripe.url})
        app = create_app(on_local_stripe, manage_database=False)
        service_url = await stack.enter_async_context(
            serving(app, "the service", bound=service_socket)
        )
        # The local Stripe publishes its catalog once the service answers; waiting for it here
        # means every page opens with the plans in place.
        assert await local_stripe.local.publish_catalog(), "the service refused the catalog"
        http = await stack.enter_async_context(httpx.AsyncClient())
        yield Stand(service_url, local_stripe.local, http)
