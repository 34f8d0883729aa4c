"""A local Stripe whose hosted pages a test drives over HTTP, and whose webhooks it records.

The account runs on stripe-mock (which checks every call it makes) and delivers its events to a
`RecordingEndpoint`; the local Stripe's app (API and pages) is reached with httpx through its
ASGI interface, as a browser that does not follow redirects.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

import httpx

from simulator.local_stripe.api import LocalApi
from simulator.local_stripe.app import create_app
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.sessions import CheckoutSession, PortalSession
from simulator.stripe_side import StripeApi, StripeSide, WebhookEndpoint
from simulator.stripe_side.state import CustomerState, SubscriptionState
from tests.simulator.stripe_account import WEBHOOK_SECRET, Event, RecordingEndpoint

BASE_URL = "http://127.0.0.1:12111"
WEBHOOK_URL = "http://service/webhooks/stripe"
API_HEADERS = {"Authorization": "Bearer sk_test_pages"}
SUCCESS_URL = "https://app.example/welcome?session={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://app.example/pricing"
RETURN_URL = "https://app.example/account"
SUCCESS_CARD = "4242 4242 4242 4242"
BANNER = "Local test stand-in for Stripe — no real payment"

# The form a person fills in on a card form, but for the number.
CARD_DETAILS = {"expiry": "12 / 34", "cvc": "123", "name": "Ada Lovelace"}


def full_portal(local: LocalStripe, *, cancellation_mode: str = "at_period_end") -> dict[str, str]:
    """A portal configuration, in the API's form encoding, offering every task: switching among
    all recurring prices, changing quantity, cancelling, card updates, invoice history."""
    prices = [price.price_id for price in local.prices() if price.recurring]
    update = "features[subscription_update]"
    params = {
        f"{update}[enabled]": "true",
        f"{update}[default_allowed_updates][0]": "price",
        f"{update}[default_allowed_updates][1]": "quantity",
        f"{update}[products][0][product]": "prod_any",
        f"{update}[proration_behavior]": "create_prorations",
        "features[subscription_cancel][enabled]": "true",
        "features[subscription_cancel][mode]": cancellation_mode,
        "features[payment_method_update][enabled]": "true",
        "features[invoice_history][enabled]": "true",
    }
    for index, price_id in enumerate(prices):
        params[f"{update}[products][0][prices][{index}]"] = price_id
    return params


@dataclass
class PagesStand:
    """The local Stripe, a browser on its pages, and the webhooks it sent."""

    local: LocalStripe
    browser: httpx.AsyncClient
    endpoint: RecordingEndpoint

    def take_events(self) -> list[Event]:
        """The events delivered since the last call, oldest first."""
        events = list(self.endpoint.events)
        self.endpoint.events.clear()
        return events

    def subscription_of(self, customer: CustomerState) -> SubscriptionState:
        """The customer's live subscription (the test expects one)."""
        subscription = self.local.current_subscription(customer.id)
        assert subscription is not None, "the customer has no live subscription"
        return subscription

    async def api(self, path: str, params: Mapping[str, str]) -> dict[str, Any]:
        """What the local Stripe's API answers a POST of `params` (as the service sends them)."""
        answer = await self.browser.post(path, data=dict(params), headers=API_HEADERS)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def customer(self, email: str = "ada@example.com") -> CustomerState:
        customer = self.local.create_customer(email=email, user_id="user_ada")
        await self.local.deliver(customer.id)
        return customer

    def checkout(
        self,
        customer: CustomerState,
        price: str = "pro",
        *,
        quantity: int = 1,
        trial_days: int | None = None,
        allow_promotion_codes: bool = False,
        payment_method_collection: str = "always",
        cancel_url: str = CANCEL_URL,
    ) -> CheckoutSession:
        return self.local.create_checkout_session(
            customer_id=customer.id,
            price=self.local.side.catalog[price],
            quantity=quantity,
            success_url=SUCCESS_URL,
            cancel_url=cancel_url,
            trial_days=trial_days,
            allow_promotion_codes=allow_promotion_codes,
            payment_method_collection=payment_method_collection,
        )

    def portal(
        self,
        customer: CustomerState,
        configuration: Mapping[str, str] | None = None,
        *,
        flow: str | None = None,
        after_completion_url: str | None = None,
    ) -> PortalSession:
        """A portal session on a new configuration saved with the API's `configuration` params
        (None: the account's default configuration)."""
        configuration_id = None
        if configuration is not None:
            configuration_id = self.local.save_configuration(None, dict(configuration)).id
        subscription = self.local.current_subscription(customer.id)
        return self.local.create_portal_session(
            customer_id=customer.id,
            return_url=RETURN_URL,
            configuration_id=configuration_id,
            flow=flow,
            flow_subscription_id=subscription.id if flow and subscription else None,
            after_completion_url=after_completion_url,
        )

    async def pay(self, session: CheckoutSession, number: str = SUCCESS_CARD) -> httpx.Response:
        """Type a card into the Checkout page and press its button."""
        return await self.browser.post(
            f"/checkout/{session.id}", data={"number": number, **CARD_DETAILS}
        )

    async def subscribed(self, price: str = "pro", *, quantity: int = 1) -> CustomerState:
        """A customer who went through Checkout with the success card."""
        customer = await self.customer()
        answer = await self.pay(self.checkout(customer, price, quantity=quantity))
        assert answer.status_code == 303, answer.text
        self.take_events()
        return customer


@asynccontextmanager
async def local_stand(
    stripe_mock_url: str, *, product_names: Mapping[str, str] | None = None
) -> AsyncIterator[PagesStand]:
    """A local Stripe on stripe-mock; `product_names` renames catalog entries by key."""
    endpoint = RecordingEndpoint()
    api = StripeApi(stripe_mock_url)
    service = httpx.AsyncClient(transport=httpx.MockTransport(endpoint.answer))
    upstream = httpx.AsyncClient()
    try:
        webhooks = WebhookEndpoint(service, WEBHOOK_URL, WEBHOOK_SECRET)
        side = StripeSide(api, webhooks, "local-pages-spec")
        for key, name in (product_names or {}).items():
            side.catalog[key] = replace(side.catalog[key], product_name=name)
        local = LocalStripe(side)
        app = create_app(
            local, LocalApi(local, upstream, stripe_mock_url), http=service, webhook_url=WEBHOOK_URL
        )
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as browser:
            yield PagesStand(local, browser, endpoint)
    finally:
        await upstream.aclose()
        await service.aclose()
        await api.close()


def event_types(events: Iterable[Event]) -> list[str]:
    return sorted(event["type"] for event in events)


def text_of(html: str) -> str:
    """The page's text as a person reads it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
