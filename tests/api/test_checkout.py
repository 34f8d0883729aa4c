"""createCheckoutSession against the real stripe-mock: the happy paths and every refusal."""

from __future__ import annotations

import asyncio

import pytest

from services.models import User
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.api.conftest import (
    BASIC_PRICE,
    ONE_TIME_PRICE,
    RETIRED_PRICE,
    client_with,
    user_with_customer,
)
from tests.support import error_codes, graphql

CHECKOUT = """
mutation ($input: CheckoutInput!) { createCheckoutSession(input: $input) { id url } }
"""
VIEWER_CUSTOMER = "query { viewer { customerId } }"


def checkout_input(**overrides: object) -> dict[str, object]:
    return {
        "priceId": BASIC_PRICE,
        "successUrl": "https://localhost/welcome?session={CHECKOUT_SESSION_ID}",
        "cancelUrl": "https://localhost/pricing",
        **overrides,
    }


async def checkout(client, token, **overrides):
    return await graphql(client, CHECKOUT, {"input": checkout_input(**overrides)}, token=token)


async def test_a_first_checkout_creates_the_customer_and_a_session(
    client, token_for, catalog, stripe_calls
):
    token = token_for("user-1", email="ada@example.com")

    body = await checkout(client, token, quantity=2, trialDays=14, allowPromotionCodes=True)

    session = body["data"]["createCheckoutSession"]
    assert session["id"].startswith("cs_")
    assert session["url"].startswith("https://")
    user = await User.get(external_id="user-1")
    assert user.stripe_customer_id is not None
    assert user.stripe_customer_id.startswith("cus_")
    assert stripe_calls.params["customers"] == [
        {"email": "ada@example.com", "metadata": {"user_id": "user-1"}}
    ]


async def test_the_session_carries_the_user_the_price_and_the_options(
    client, token_for, catalog, stripe_calls
):
    await checkout(client, token_for("user-1"), quantity=2, trialDays=14, allowPromotionCodes=True)

    [params] = stripe_calls.params["checkout_sessions"]
    assert params["mode"] == "subscription"
    assert params["line_items"] == [{"price": BASIC_PRICE, "quantity": 2}]
    assert params["customer"] == (await User.get(external_id="user-1")).stripe_customer_id
    assert params["client_reference_id"] == "user-1"
    assert params["metadata"] == {"user_id": "user-1"}
    assert params["allow_promotion_codes"] is True
    assert params["subscription_data"]["trial_period_days"] == 14
    assert params["success_url"] == checkout_input()["successUrl"]
    assert "invoice_creation" not in params


async def test_each_session_is_sent_with_an_idempotency_key_of_its_own_params(
    client, token_for, catalog, stripe_calls
):
    await checkout(client, token_for("user-1"), quantity=1)
    await checkout(client, token_for("user-1"), quantity=2)

    keys = [options["idempotency_key"] for options in stripe_calls.options["checkout_sessions"]]
    assert all(key.startswith("bp-") for key in keys)
    assert keys[0] != keys[1]
    assert all(
        "idempotency_key" not in params for params in stripe_calls.params["checkout_sessions"]
    )


async def test_a_one_time_purchase_uses_payment_mode(client, token_for, catalog, stripe_calls):
    body = await checkout(client, token_for("user-1"), priceId=ONE_TIME_PRICE, mode="PAYMENT")

    assert body["data"]["createCheckoutSession"]["id"].startswith("cs_")
    [params] = stripe_calls.params["checkout_sessions"]
    assert params["mode"] == "payment"
    assert "subscription_data" not in params


async def test_a_one_time_purchase_asks_stripe_for_an_invoice_of_the_user(
    client, token_for, catalog, stripe_calls
):
    await checkout(client, token_for("user-1"), priceId=ONE_TIME_PRICE, mode="PAYMENT")

    [params] = stripe_calls.params["checkout_sessions"]
    assert params["invoice_creation"] == {
        "enabled": True,
        "invoice_data": {"metadata": {"user_id": "user-1"}},
    }


async def test_loopback_http_urls_are_allowed_outside_prod(client, token_for, catalog):
    body = await checkout(
        client,
        token_for("user-1"),
        successUrl="http://localhost:5173/welcome",
        cancelUrl="http://127.0.0.1:5173/pricing",
    )

    assert body["data"]["createCheckoutSession"]["id"].startswith("cs_")


async def test_a_returning_user_keeps_their_customer(client, token_for, catalog, stripe_calls):
    await user_with_customer("user-1", "cus_existing")

    body = await checkout(client, token_for("user-1"))

    assert "errors" not in body
    assert (await User.get(external_id="user-1")).stripe_customer_id == "cus_existing"
    assert "customers" not in stripe_calls.params
    assert stripe_calls.params["checkout_sessions"][0]["customer"] == "cus_existing"


async def test_twenty_concurrent_first_checkouts_create_one_customer(
    client, token_for, catalog, stripe_calls
):
    token = token_for("racer", email="racer@example.com")

    bodies = await asyncio.gather(*(checkout(client, token) for _ in range(20)))

    assert all("errors" not in body for body in bodies), bodies
    assert await User.filter(external_id="racer").count() == 1
    stored = (await User.get(external_id="racer")).stripe_customer_id
    assert stored is not None
    assert len(stripe_calls.params["customers"]) == 1
    sessions = stripe_calls.params["checkout_sessions"]
    assert len(sessions) == 20
    assert {params["customer"] for params in sessions} == {stored}
    viewer = await graphql(client, VIEWER_CUSTOMER, token=token)
    assert viewer["data"]["viewer"]["customerId"] == stored


async def test_concurrent_first_checkouts_on_two_instances_agree_on_one_customer(
    client, stripe_mock, database, token_for, catalog, stripe_calls
):
    """Two processes share no lock: the conditional link makes the loser adopt the winner's id.

    (stripe-mock ignores idempotency keys, so each instance may create a customer; real Stripe
    answers the second create with the first customer.)
    """
    token = token_for("racer")
    other_instance = client_with(
        database_url=database, stripe_api_base=stripe_mock.url, stripe_calls=stripe_calls
    )
    async with other_instance as other:
        bodies = await asyncio.gather(
            *(checkout(http, token) for http in (client, other) for _ in range(5))
        )

    assert all("errors" not in body for body in bodies), bodies
    stored = (await User.get(external_id="racer")).stripe_customer_id
    assert {params["customer"] for params in stripe_calls.params["checkout_sessions"]} == {stored}


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**9}, "quantity"),
        ({"quantity": -1}, "quantity"),
        ({"priceId": ""}, "priceId"),
        ({"priceId": "   "}, "priceId"),
        ({"priceId": "price_unknown"}, "not an available plan"),
        ({"priceId": RETIRED_PRICE}, "not an available plan"),
        ({"priceId": ONE_TIME_PRICE}, "one-time"),
        ({"mode": "PAYMENT"}, "recurring"),
        ({"trialDays": 0}, "trialDays"),
        ({"trialDays": 731}, "trialDays"),
        ({"priceId": ONE_TIME_PRICE, "mode": "PAYMENT", "trialDays": 7}, "trialDays"),
        ({"successUrl": "http://example.com/welcome"}, "successUrl"),
        ({"successUrl": "https://evil.example.com/welcome"}, "successUrl"),
        ({"successUrl": "javascript:alert(1)"}, "successUrl"),
        ({"successUrl": "/welcome"}, "successUrl"),
        ({"successUrl": "//evil.example.com/welcome"}, "successUrl"),
        ({"successUrl": "https://localhost@evil.example.com/"}, "successUrl"),
        ({"cancelUrl": "data:text/html,<script>alert(1)</script>"}, "cancelUrl"),
        ({"cancelUrl": "https://evil.example.com\\@localhost/"}, "cancelUrl"),
    ],
)
async def test_bad_checkout_input_is_refused_before_any_stripe_call(
    client, token_for, catalog, stripe_calls, overrides, why
):
    body = await checkout(client, token_for("user-1"), **overrides)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert stripe_calls.params == {}
    assert why in body["errors"][0]["message"]
    assert (await User.get(external_id="user-1")).stripe_customer_id is None


async def test_too_many_sessions_in_a_minute_are_rate_limited(
    stripe_mock, database, catalog, token_for
):
    limited = client_with(
        database_url=database, stripe_api_base=stripe_mock.url, rate_limit_sessions_per_minute=3
    )
    async with limited as http:
        token = token_for("user-1")
        bodies = [await checkout(http, token) for _ in range(4)]
        other_user = await checkout(http, token_for("user-2"))

    assert [error_codes(body) for body in bodies] == [[], [], [], ["RATE_LIMITED"]]
    assert error_codes(other_user) == []


async def test_stripe_down_is_payment_provider_unavailable_and_links_no_customer(
    database, catalog, token_for
):
    server = StripeMockServer().start()
    doomed = client_with(
        database_url=database, stripe_api_base=server.url, stripe_max_network_retries=1
    )
    async with doomed as http:
        token = token_for("user-1")
        assert error_codes(await graphql(http, VIEWER_CUSTOMER, token=token)) == []
        server.stop()

        body = await checkout(http, token)

    assert error_codes(body) == ["PAYMENT_PROVIDER_UNAVAILABLE"]
    assert (await User.get(external_id="user-1")).stripe_customer_id is None
