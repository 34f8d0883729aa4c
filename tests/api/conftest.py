"""Fixtures for the API tests: a seeded catalog, users with a billing account, admin tokens."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from stripe import CustomerService, StripeClient
from stripe._request_options import extract_options_from_dict
from stripe.billing_portal import ConfigurationService
from stripe.billing_portal import SessionService as PortalSessionService

from billing_portal.app import create_app
from billing_portal.settings import load_settings
from services.models import Price, Product, User

BASIC_PRICE = "price_basic_monthly"
PRO_PRICE = "price_pro_monthly"
ONE_TIME_PRICE = "price_ebook"
RETIRED_PRICE = "price_basic_legacy"
BASIC_PRODUCT = "prod_basic"
PRO_PRODUCT = "prod_pro"
EBOOK_PRODUCT = "prod_ebook"


@pytest.fixture
async def catalog(database):
    """Two subscription plans, a one-time product and a retired price, as webhooks store them."""
    await Product.create(id=BASIC_PRODUCT, name="Basic")
    await Product.create(id=PRO_PRODUCT, name="Pro")
    await Product.create(id=EBOOK_PRODUCT, name="E-book")
    monthly: dict[str, Any] = {"currency": "usd", "interval": "month", "interval_count": 1}
    await Price.create(id=BASIC_PRICE, product_id=BASIC_PRODUCT, unit_amount=900, **monthly)
    await Price.create(id=PRO_PRICE, product_id=PRO_PRODUCT, unit_amount=2900, **monthly)
    await Price.create(
        id=ONE_TIME_PRICE, product_id=EBOOK_PRODUCT, unit_amount=1500, currency="eur"
    )
    await Price.create(
        id=RETIRED_PRICE, product_id=BASIC_PRODUCT, unit_amount=500, active=False, **monthly
    )


@pytest.fixture
def admin_token(token_for):
    return token_for("admin-1", email="admin@example.com", admin=True)


async def user_with_customer(external_id: str, customer_id: str) -> User:
    """A user who already checked out once (what the checkout webhook leaves behind)."""
    return await User.create(external_id=external_id, stripe_customer_id=customer_id)


class StripeCalls:
    """Records the params and request options of real SDK calls (they still go to stripe-mock,
    which validates them), made through a service or as a raw request to a known path."""

    def __init__(self) -> None:
        self.params: dict[str, list[dict[str, Any]]] = {}
        self.options: dict[str, list[dict[str, Any]]] = {}

    def spy(self, monkeypatch: pytest.MonkeyPatch, service: Any, name: str) -> None:
        original = service.create_async

        async def recording(self_, params=None, options=None):
            self._record(name, params or {}, options or {})
            return await original(self_, params, options)

        monkeypatch.setattr(service, "create_async", recording)

    def spy_raw(self, monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
        """Raw requests by URL path (`names` maps a path to the name its calls are kept under)."""
        original = StripeClient.raw_request_async

        async def recording(self_, method_, url_, **params):
            if url_ in names:
                options, body = extract_options_from_dict(params)
                self._record(names[url_], body, dict(options))
            return await original(self_, method_, url_, **params)

        monkeypatch.setattr(StripeClient, "raw_request_async", recording)

    def _record(self, name: str, params: dict[str, Any], options: dict[str, Any]) -> None:
        self.params.setdefault(name, []).append(params)
        self.options.setdefault(name, []).append(options)


@pytest.fixture
def stripe_calls(monkeypatch):
    """Spies on the creation of customers, checkout sessions (a raw request), portal sessions and
    portal configurations."""
    calls = StripeCalls()
    calls.spy(monkeypatch, CustomerService, "customers")
    calls.spy_raw(monkeypatch, {"/v1/checkout/sessions": "checkout_sessions"})
    calls.spy(monkeypatch, PortalSessionService, "portal_sessions")
    calls.spy(monkeypatch, ConfigurationService, "portal_configurations")
    return calls


@contextlib.asynccontextmanager
async def client_with(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose settings differ from the `settings` fixture's (same database)."""
    app = create_app(load_settings(billing_env="test", **settings), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.services.close()
