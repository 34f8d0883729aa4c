"""Fixtures for the API tests: a seeded catalog, users with a billing account, admin tokens,
and a Stripe gateway that records what the services create."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap, stripe_gateway_for
from billing_portal.settings import Settings, load_settings
from services.models import Price, Product, User
from services.stripe_gateway import StripeGateway

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
    """The params and request options of the Stripe creates the services made, by kind."""

    def __init__(self) -> None:
        self.params: dict[str, list[dict[str, Any]]] = {}
        self.options: dict[str, list[dict[str, Any]]] = {}

    def record(self, kind: str, params: Mapping[str, Any], options: Mapping[str, Any]) -> None:
        self.params.setdefault(kind, []).append(dict(params))
        self.options.setdefault(kind, []).append(dict(options))


# The creates the API tests look at: by their service's path in the SDK's `v1` namespace, and
# by the URL path of the raw posts.
RECORDED_CREATES = {
    "customers": "customers",
    "billing_portal.configurations": "portal_configurations",
}
RECORDED_RAW_POSTS = {
    "/v1/checkout/sessions": "checkout_sessions",
    "/v1/billing_portal/sessions": "portal_sessions",
}


class RecordingStripeGateway(StripeGateway):
    """The real gateway (every call still reaches stripe-mock, which validates it) that also
    keeps what the services asked Stripe to create in `calls`."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.calls = StripeCalls()

    async def call(self, operation: Callable[[Any], Awaitable[Any]]) -> Any:
        return await super().call(lambda v1: operation(_RecordingNamespace(v1, "", self.calls)))

    async def post_raw(
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        if path in RECORDED_RAW_POSTS:
            options = {} if idempotency_key is None else {"idempotency_key": idempotency_key}
            self.calls.record(RECORDED_RAW_POSTS[path], params, options)
        return await super().post_raw(path, params, idempotency_key=idempotency_key)


class _RecordingNamespace:
    """The SDK's `v1` namespace (or one of its services), recording the creates listed above."""

    def __init__(self, target: Any, path: str, calls: StripeCalls) -> None:
        self._target = target
        self._path = path
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._target, name)
        kind = RECORDED_CREATES.get(self._path)
        if name == "create_async" and kind is not None:

            async def recording(params=None, options=None):
                self._calls.record(kind, params or {}, options or {})
                return await attribute(params, options)

            return recording
        if callable(attribute):
            return attribute
        path = f"{self._path}.{name}" if self._path else name
        return _RecordingNamespace(attribute, path, self._calls)


@pytest.fixture
def stripe_gateway(settings: Settings) -> RecordingStripeGateway:
    return stripe_gateway_for(settings, RecordingStripeGateway)


@pytest.fixture
def stripe_calls(stripe_gateway: RecordingStripeGateway) -> StripeCalls:
    """What the app's services asked Stripe to create: customers, checkout sessions (a raw
    post), portal sessions and portal configurations."""
    return stripe_gateway.calls


@contextlib.asynccontextmanager
async def client_with(
    *, stripe_calls: StripeCalls | None = None, **overrides: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A client on an app whose settings differ from the `settings` fixture's (same database);
    its Stripe creates are recorded into `stripe_calls` when given."""
    settings = load_settings(billing_env="test", **overrides)
    gateway = stripe_gateway_for(settings, RecordingStripeGateway)
    if stripe_calls is not None:
        gateway.calls = stripe_calls
    services = bootstrap(settings, stripe=gateway)
    app = create_app(settings, services=services, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await services.close()
