"""The Stripe gateway against the real stripe-mock: idempotent creates and the contract's codes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import stripe

from services.errors import ErrorCode, PaymentProviderError, PaymentProviderUnavailable
from services.stripe_gateway import StripeGateway, idempotency_key, translate
from simulator.toolkit.servers import free_port
from simulator.toolkit.stripe_mock import StripeMockServer


@pytest.fixture
async def gateway(stripe_mock: StripeMockServer) -> AsyncIterator[StripeGateway]:
    gateway = StripeGateway(api_key="sk_test_gateway", api_base=stripe_mock.url)
    yield gateway
    await gateway.close()


async def test_a_customer_is_created_on_stripe_mock_with_our_idempotency_key(gateway):
    key = idempotency_key("customer", "user-1")

    customer = await gateway.call(
        lambda v1: v1.customers.create_async(
            {"email": "ada@example.com", "metadata": {"user_id": "user-1"}},
            {"idempotency_key": key},
        )
    )

    assert customer.id.startswith("cus_")
    assert customer.email == "ada@example.com"
    assert customer.last_response is not None
    assert customer.last_response.headers["Idempotency-Key"] == key


def test_idempotency_keys_are_stable_for_one_request_and_distinct_across_requests():
    assert idempotency_key("customer", "user-1") == idempotency_key("customer", "user-1")
    assert idempotency_key("customer", "user-1") != idempotency_key("customer", "user-2")
    assert idempotency_key("a", "bc") != idempotency_key("ab", "c")


async def test_a_request_stripe_refuses_is_a_payment_provider_error(gateway):
    invalid: Any = {"not_a_customer_parameter": "x"}

    with pytest.raises(PaymentProviderError) as refusal:
        await gateway.call(lambda v1: v1.customers.create_async(invalid))

    assert refusal.value.code is ErrorCode.PAYMENT_PROVIDER_ERROR
    assert "validator" not in refusal.value.message  # Stripe's developer message stays in logs


async def test_an_unreachable_api_base_is_payment_provider_unavailable():
    closed = StripeGateway(
        api_key="sk_test_gateway",
        api_base=f"http://127.0.0.1:{free_port()}",
        max_network_retries=1,
    )
    try:
        with pytest.raises(PaymentProviderUnavailable) as failure:
            await closed.call(lambda v1: v1.customers.create_async({"email": "a@example.com"}))
    finally:
        await closed.close()

    assert failure.value.code is ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE


@pytest.mark.parametrize(
    "error",
    [
        stripe.APIError("boom", http_status=500),
        stripe.APIError("bad gateway", http_status=502),
        stripe.RateLimitError("slow down", http_status=429),
        stripe.APIConnectionError("reset by peer"),
    ],
    ids=["500", "502", "rate-limited", "connection"],
)
def test_stripe_failing_or_busy_maps_to_unavailable(error):
    assert translate(error).code is ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE


def test_a_declined_card_keeps_stripes_message_for_the_customer():
    declined = stripe.CardError(
        "Your card was declined.", param=None, code="card_declined", http_status=402
    )

    mapped = translate(declined)

    assert mapped.code is ErrorCode.PAYMENT_PROVIDER_ERROR
    assert mapped.message == "Your card was declined."


async def test_ping_is_none_while_stripe_answers(gateway):
    assert await gateway.ping() is None
