"""A service pointed at a local Stripe, each on a loopback port, sharing the suite's stripe-mock
and database; the local Stripe sends its webhooks to the service.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.settings import WEBHOOK_PATH, Settings, load_settings
from simulator.app_users import AppAdmin, AppUser
from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.server import LocalStripeOptions, running_local_stripe
from simulator.toolkit.connections import service_client
from simulator.toolkit.graphql import GraphQLClient
from simulator.toolkit.loopback import loopback_socket, serving, url_of
from simulator.toolkit.stripe_mock import StripeMockServer
from simulator.toolkit.tokens import TokenMinter
from tests.local_stripe.pages_support import PagesStand, local_stand

SUCCESS_URL = "http://localhost/billing/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "http://localhost/billing/canceled"
REDIRECT_URL = "https://localhost/account"
VISA = CardInput("4242424242424242")


@dataclass(frozen=True)
class Stand:
    """The service and its local Stripe, and a way in for the people using them."""

    local: LocalStripe
    stripe_url: str
    service_url: str
    stripe_mock_url: str
    settings: Settings
    http: httpx.AsyncClient

    def _graphql(self, subject: str, *, email: str | None = None, admin: bool = False):
        minter = TokenMinter(self.settings.jwt_secret)
        token = minter.mint(subject, email=email, admin=admin)
        return GraphQLClient(self.http, f"{self.service_url}/graphql", token)

    def user(self, user_id: str = "user-1") -> AppUser:
        return AppUser(self._graphql(user_id, email=f"{user_id}@example.com"))

    def admin(self) -> AppAdmin:
        return AppAdmin(self._graphql("admin", admin=True))

    async def stripe(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call to the local Stripe's API, as the service makes them."""
        headers = {"authorization": f"Bearer {self.settings.api_key}", **kwargs.pop("headers", {})}
        return await self.http.request(
            method, f"{self.stripe_url}{path}", headers=headers, **kwargs
        )

    async def on_basic_with_a_portal(self) -> tuple[AppUser, dict[str, str]]:
        """A user who paid for Basic, and a portal session the service opened for them from the
        admin's block (the portal configured to switch between the monthly plans)."""
        admin = self.admin()
        recurring = [p["priceId"] for p in await self.user().plans() if p["interval"] == "month"]
        await admin.configure_customer_portal(recurring)
        block = await admin.save_portal_block("Billing", REDIRECT_URL)
        user = self.user()
        await self.local.complete_checkout((await self.subscribe(user))["id"], VISA)
        return user, await user.create_portal_session(block["id"], None)

    async def subscribe(self, user: AppUser, plan: str = "Basic", **extra: Any) -> dict[str, Any]:
        """createCheckoutSession for the plan of that name; the session the service returned."""
        price_id = next(p["priceId"] for p in await user.plans() if p["name"] == plan)
        checkout = {"priceId": price_id, "successUrl": SUCCESS_URL, "cancelUrl": CANCEL_URL}
        return await user.create_checkout_session({**checkout, **extra})


@pytest.fixture
async def stand(stripe_mock: StripeMockServer, database: str) -> AsyncIterator[Stand]:
    async with standing(stripe_mock, database) as built:
        yield built


@asynccontextmanager
async def standing(
    stripe_mock: StripeMockServer,
    database: str,
    *,
    webhooks_to: Callable[[str], str] = lambda service_url: f"{service_url}{WEBHOOK_PATH}",
) -> AsyncIterator[Stand]:
    """The service and its local Stripe, which sends its webhooks where `webhooks_to` says for
    the service's base URL (to the service's own endpoint unless told otherwise)."""
    service_socket = loopback_socket()
    async with service_client(8) as http:
        settings = load_settings(
            billing_env="test", database_url=database, rate_limit_sessions_per_minute=0
        )
        options = LocalStripeOptions(
            webhook_url=webhooks_to(url_of(service_socket)),
            webhook_secret=settings.webhook_secret,
            stripe_mock_url=stripe_mock.url,
        )
        async with running_local_stripe(options) as local_stripe:
            settings = load_settings(
                billing_env="test",
                database_url=database,
                stripe_api_base=local_stripe.url,
                rate_limit_sessions_per_minute=0,
            )
            app = create_app(settings, manage_database=False)
            async with serving(app, "the service", bound=service_socket) as service_url:
                assert await local_stripe.local.publish_catalog(), "the service refused the catalog"
                yield Stand(
                    local_stripe.local,
                    local_stripe.url,
                    service_url,
                    stripe_mock.url,
                    settings,
                    http,
                )


@pytest.fixture
async def pages(stripe_mock: StripeMockServer) -> AsyncIterator[PagesStand]:
    """A local Stripe alone (no service): its hosted pages, and the webhooks it sends recorded."""
    async with local_stand(stripe_mock.url) as fresh:
        yield fresh
