"""A simulated Stripe account wired to an endpoint that records every event it is sent.

The Stripe side runs against stripe-mock (which checks every API call it makes) without the
service, so tests of it specify what Stripe sends, and nothing else.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from simulator.billing_modes import BillingMode
from simulator.naming import Roles
from simulator.stripe_side import (
    CARDS,
    CatalogPrice,
    Chaos,
    CheckoutPage,
    PortalVisit,
    StripeApi,
    StripeCustomer,
    StripeSide,
    WebhookEndpoint,
)
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.checkout_ui import CheckoutUi
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.portal_configurations import PortalConfigurations, ProrationBehavior
from simulator.stripe_side.settings import (
    DEFAULT_BILLING_SETTINGS,
    BillingSettings,
    MissingPaymentMethod,
)

SUCCESS_URL = "https://localhost/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://localhost/canceled"
RETURN_URL = "https://localhost/account"
CUSTOMER_ID = "cus_spec"
WEBHOOK_SECRET = "whsec_spec"

Event = dict[str, Any]


@dataclass
class RecordingEndpoint:
    """Answers every delivery 200 and keeps the events, oldest first; `refuse(type, n)` makes
    it answer the next `n` deliveries of that event type 500 (or `status`) instead (not kept).
    `attempts` keeps every delivery, refused ones too, with its moment on the customer's clock.
    """

    events: list[Event] = field(default_factory=list)
    refusals: Counter[str] = field(default_factory=Counter)
    refusal_status: dict[str, int] = field(default_factory=dict)
    attempts: list[tuple[int, httpx.Request]] = field(default_factory=list)
    clock: SimClock = field(default_factory=SimClock)

    def refuse(self, event_type: str, times: int, status: int = 500) -> None:
        self.refusals[event_type] = times
        self.refusal_status[event_type] = status

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.attempts.append((self.clock.now, request))
        event = json.loads(request.content)
        if self.refusals[event["type"]] > 0:
            self.refusals[event["type"]] -= 1
            return httpx.Response(self.refusal_status[event["type"]])
        self.events.append(event)
        return httpx.Response(200)


@dataclass
class Account:
    """One customer of a simulated account, and what the account sent since the last `take`."""

    customer: StripeCustomer
    catalog: dict[str, CatalogPrice]
    endpoint: RecordingEndpoint
    # What the account's portal sessions show (a test saves a configuration for a session).
    portal_configurations: PortalConfigurations
    # What the account's Checkout Sessions sold.
    line_items: CheckoutLineItems = field(default_factory=CheckoutLineItems)

    async def subscribe(
        self, plan: str = "basic", card: str = "visa", *, trial_days: int | None = None
    ) -> list[Event]:
        """Subscribe through Checkout; returns the events of the completed Checkout."""
        page = await self._checkout(plan, trial_days=trial_days)
        await page.complete(CARDS[card])
        return self.take()

    async def start_trial_without_card(
        self, missing_payment_method: MissingPaymentMethod, plan: str = "pro", trial_days: int = 14
    ) -> list[Event]:
        """Start a trial through Checkout without a card; returns the Checkout's events."""
        page = await self._checkout(plan, trial_days=trial_days)
        await page.start_trial_without_card(missing_payment_method)
        return self.take()

    async def buy_once(self, item: str = "setup", card: str = "visa") -> list[Event]:
        """Pay once through Checkout; returns the events of the completed Checkout."""
        page = await self._checkout(item, trial_days=None)
        await page.complete(CARDS[card])
        return self.take()

    def offer_plan_changes(
        self, session_id: str = "bps_spec", behavior: ProrationBehavior = "create_prorations"
    ) -> None:
        """The portal session `session_id` shows a configuration (as the service would save it)
        offering both recurring prices, quantity changes, and `behavior`."""
        params = {
            "features[subscription_update][enabled]": "true",
            "features[subscription_update][default_allowed_updates][0]": "price",
            "features[subscription_update][default_allowed_updates][1]": "quantity",
            "features[subscription_update][products][0][product]": self.catalog["basic"].product_id,
            "features[subscription_update][products][0][prices][0]": self.catalog["basic"].price_id,
            "features[subscription_update][products][1][product]": self.catalog["pro"].product_id,
            "features[subscription_update][products][1][prices][0]": self.catalog["pro"].price_id,
            "features[subscription_update][proration_behavior]": behavior,
        }
        self.portal_configurations.saved(f"bpc_{behavior}", params)
        self.portal_configurations.session_created(session_id, f"bpc_{behavior}")

    async def portal(self) -> PortalVisit:
        return await self.customer.open_portal("bps_spec", RETURN_URL)

    def take(self) -> list[Event]:
        """The events sent since the last call, oldest first."""
        events, self.endpoint.events = self.endpoint.events, []
        return events

    async def _checkout(self, price: str, *, trial_days: int | None) -> CheckoutPage:
        await self.customer.customer_created(CUSTOMER_ID, "user-1", "one@example.com")
        self.take()  # the customer's own events: a test reads what Checkout sends
        return await self.customer.open_checkout(
            "cs_spec",
            self.catalog[price],
            quantity=1,
            trial_days=trial_days,
            ui=CheckoutUi(success_url=SUCCESS_URL, cancel_url=CANCEL_URL),
        )


@asynccontextmanager
async def recorded_account(
    stripe_mock_url: str,
    billing_mode: BillingMode,
    settings: BillingSettings = DEFAULT_BILLING_SETTINGS,
    *,
    api_version: str | None = None,
    chaos: Chaos | None = None,
) -> AsyncIterator[Account]:
    """A customer whose events reach a `RecordingEndpoint` registered on `api_version`."""
    endpoint = RecordingEndpoint()
    api = StripeApi(stripe_mock_url)
    try:
        async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint.answer)) as http:
            webhooks = WebhookEndpoint(
                http, "http://service/webhooks/stripe", WEBHOOK_SECRET, api_version=api_version
            )
            side = StripeSide(api, webhooks, "stripe-side-spec", billing_mode=billing_mode)
            customer = side.customer_for("customer 1", Roles(), chaos or Chaos(None), settings)
            endpoint.clock = customer.clock
            yield Account(
                customer, side.catalog, endpoint, side.portal_configurations, side.line_items
            )
    finally:
        await api.close()


# Stripe's announcement that the customer's entitled features changed (row entitlements.summary).
ENTITLEMENTS_CHANGED = "entitlements.active_entitlement_summary.updated"


def types(events: list[Event]) -> Counter[str]:
    """The event types of a burst as a multiset: Stripe guarantees no order within one."""
    return Counter(event["type"] for event in events)


def the(event_type: str, events: list[Event]) -> Event:
    """The one event of `event_type` among `events`."""
    found = [event for event in events if event["type"] == event_type]
    assert len(found) == 1, f"expected one {event_type}, got {len(found)}: {types(events)}"
    return found[0]
