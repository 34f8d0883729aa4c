"""A Stripe that hangs: every call ends within one deadline, retries included, and may be sent
again safely."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.settings import load_settings
from services.errors import PaymentProviderUnavailable
from services.stripe_gateway import StripeGateway
from simulator.toolkit.servers import free_port
from tests.api.conftest import BASIC_PRICE
from tests.hardening.support import CHECKOUT, CHECKOUT_URLS, CONFIGURE_PORTAL, PORTAL_OPTIONS
from tests.support import error_codes, graphql

DEADLINE_SECONDS = 1.5
# Without the deadline a call ends only after its attempts, each cut at the deadline (the gateway
# caps an attempt's timeout at it) with at least half a second of back-off between two: failing
# before a second attempt could have ended is failing at the deadline, and leaves a busy
# two-core machine a whole deadline of scheduling slack.
WITHIN_SECONDS = 2 * DEADLINE_SECONDS

CHECKOUT_INPUT = {"priceId": BASIC_PRICE, **CHECKOUT_URLS}


async def seconds_to_fail(api_base: str, **options: Any) -> float:
    """How long a customer create through a gateway on `api_base` takes to fail."""
    gateway = StripeGateway(
        api_key="sk_test_deadline", api_base=api_base, deadline_seconds=DEADLINE_SECONDS, **options
    )
    started = time.monotonic()
    try:
        with pytest.raises(PaymentProviderUnavailable):
            await gateway.call(lambda v1: v1.customers.create_async({"email": "a@example.com"}))
    finally:
        await gateway.close()
    return time.monotonic() - started


async def test_a_stripe_that_never_answers_fails_at_the_deadline_not_after_every_attempt(
    hanging_stripe,
):
    elapsed = await seconds_to_fail(hanging_stripe.url, max_network_retries=2, timeout_seconds=20.0)

    assert DEADLINE_SECONDS <= elapsed < WITHIN_SECONDS


async def test_retries_of_quick_failures_stop_at_the_deadline():
    elapsed = await seconds_to_fail(f"http://127.0.0.1:{free_port()}", max_network_retries=10)

    assert elapsed < WITHIN_SECONDS


def test_the_deadline_defaults_to_ten_seconds():
    assert load_settings(billing_env="test").stripe_deadline_seconds == 10.0


@pytest.fixture
async def hanging_client(hanging_stripe, database) -> AsyncIterator[httpx.AsyncClient]:
    settings = load_settings(
        billing_env="test",
        database_url=database,
        stripe_api_base=hanging_stripe.url,
        stripe_deadline_seconds=DEADLINE_SECONDS,
        rate_limit_sessions_per_minute=0,
    )
    app = create_app(settings, manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.services.close()


async def test_a_checkout_against_a_hanging_stripe_is_unavailable_within_the_deadline(
    hanging_client, token_for, catalog
):
    started = time.monotonic()
    body = await graphql(
        hanging_client, CHECKOUT, {"input": CHECKOUT_INPUT}, token=token_for("u-1")
    )
    elapsed = time.monotonic() - started

    assert error_codes(body) == ["PAYMENT_PROVIDER_UNAVAILABLE"]
    assert elapsed < WITHIN_SECONDS


async def test_a_checkout_cut_short_by_the_deadline_is_sent_again_with_the_same_key(
    hanging_client, hanging_stripe, token_for, catalog
):
    token = token_for("u-1", email="ada@example.com")
    for _ in range(2):
        await graphql(hanging_client, CHECKOUT, {"input": CHECKOUT_INPUT}, token=token)

    assert len(hanging_stripe.idempotency_keys) >= 2
    assert len(set(hanging_stripe.idempotency_keys)) == 1


async def test_a_portal_configuration_cut_short_by_the_deadline_is_sent_again_with_the_same_key(
    hanging_client, hanging_stripe, token_for, catalog
):
    token = token_for("admin-1", admin=True)
    for _ in range(2):
        body = await graphql(
            hanging_client, CONFIGURE_PORTAL, {"input": PORTAL_OPTIONS}, token=token
        )
        assert error_codes(body) == ["PAYMENT_PROVIDER_UNAVAILABLE"]

    assert len(hanging_stripe.idempotency_keys) >= 2
    assert len(set(hanging_stripe.idempotency_keys)) == 1
