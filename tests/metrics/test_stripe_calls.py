"""Each Stripe request the gateway sends is counted and timed by endpoint and outcome."""

from __future__ import annotations

import pytest

from billing_portal.bootstrap import bootstrap
from services.container import Services
from services.errors import PaymentProviderError, PaymentProviderUnavailable
from simulator.toolkit.servers import free_port
from tests.metrics.support import scrape_directly, value

COUNT = "billing_portal_stripe_request_duration_seconds_count"
SECONDS = "billing_portal_stripe_request_duration_seconds_sum"


@pytest.fixture
async def services_of():
    """`services_of(settings)`: every service as `serve` builds them, closed after the test."""
    built: list[Services] = []

    def build(settings) -> Services:
        built.append(bootstrap(settings))
        return built[-1]

    yield build
    for services in built:
        await services.close()


async def test_a_call_stripe_answers_is_counted_and_timed_under_its_endpoint(settings, services_of):
    services = services_of(settings)

    await services.stripe.call(lambda v1: v1.customers.retrieve_async("cus_metrics"))

    samples = await scrape_directly(services.metrics)
    labels = {"endpoint": "GET /v1/customers/{id}", "outcome": "ok"}
    assert value(samples, COUNT, **labels) == 1
    assert (value(samples, SECONDS, **labels) or 0) > 0


async def test_a_call_stripe_refuses_is_counted_as_refused(settings, services_of):
    services = services_of(settings)

    with pytest.raises(PaymentProviderError):
        await services.stripe.call(lambda v1: v1.customers.create_async({"no_such": "param"}))

    samples = await scrape_directly(services.metrics)
    assert value(samples, COUNT, endpoint="POST /v1/customers", outcome="refused") == 1


async def test_a_call_nobody_answers_is_counted_as_unreachable(settings, services_of):
    nowhere = f"http://127.0.0.1:{free_port()}"
    services = services_of(
        settings.model_copy(update={"stripe_api_base": nowhere, "stripe_max_network_retries": 0})
    )

    with pytest.raises(PaymentProviderUnavailable):
        await services.stripe.call(lambda v1: v1.prices.list_async({"limit": 1}))

    samples = await scrape_directly(services.metrics)
    assert value(samples, COUNT, endpoint="GET /v1/prices", outcome="unreachable") == 1


async def test_a_raw_post_is_counted_like_any_call(settings, services_of):
    services = services_of(settings)

    await services.stripe.post_raw(
        "/v1/customers", {"email": "a@example.com"}, idempotency_key="k1"
    )

    samples = await scrape_directly(services.metrics)
    assert value(samples, COUNT, endpoint="POST /v1/customers", outcome="ok") == 1
