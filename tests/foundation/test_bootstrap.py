"""The composition root: what a test or a tool hands to `bootstrap` is what the services use."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

from billing_portal.bootstrap import bootstrap, stripe_gateway_for
from billing_portal.settings import Settings
from services.catalog import PLANS_CACHE_SECONDS
from services.container import Services
from services.errors import PaymentProviderUnavailable
from services.models import Price, Product
from services.stripe_gateway import StripeGateway

T = TypeVar("T")


class UnreachableStripe(StripeGateway):
    """A Stripe that never answers: every call fails the way an outage does."""

    async def call(self, operation: Callable[[Any], Awaitable[T]]) -> T:
        raise PaymentProviderUnavailable("The payment provider is unreachable; try again shortly.")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def clock_services(settings: Settings) -> AsyncIterator[tuple[Clock, Services]]:
    clock = Clock()
    services = bootstrap(settings, clock=clock)
    yield clock, services
    await services.close()


async def test_the_stripe_gateway_given_serves_the_services_calls(settings, database):
    gateway = stripe_gateway_for(settings, UnreachableStripe)
    services = bootstrap(settings, stripe=gateway)
    try:
        with pytest.raises(PaymentProviderUnavailable):
            await services.catalog.plans()  # an empty mirror is filled from Stripe first
    finally:
        await services.close()

    assert services.stripe is gateway


async def test_the_clock_given_decides_when_the_plan_list_is_read_again(clock_services):
    clock, services = clock_services
    await Product.create(id="prod_basic", name="Basic")
    await Price.create(id="price_basic", product_id="prod_basic", unit_amount=900, currency="usd")
    first = await services.catalog.plans()
    await Price.filter(id="price_basic").update(active=False)

    cached = await services.catalog.plans()
    clock.now += PLANS_CACHE_SECONDS
    refreshed = await services.catalog.plans()

    assert cached == first
    assert refreshed == []
