"""createCheckoutSession with uiMode EMBEDDED: what is sent to the real stripe-mock, which
validates it, what the app gets back, and every refusal before any Stripe call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from billing_portal.bootstrap import stripe_gateway_for
from billing_portal.settings import Settings
from services.errors import PaymentProviderError
from services.models import User
from tests.api.conftest import BASIC_PRICE, RecordingStripeGateway, client_with
from tests.support import error_codes, graphql

CHECKOUT = """
mutation ($input: CheckoutInput!) {
  createCheckoutSession(input: $input) { id url clientSecret }
}
"""
RETURN_URL = "https://localhost/checkout/return?session={CHECKOUT_SESSION_ID}"


class StripeAnswersEmbedded(RecordingStripeGateway):
    """Every Checkout Session still goes to stripe-mock, which validates it and answers; its
    answers are kept in `answers`. stripe-mock's fixture is a hosted session whatever the UI
    mode, so an embedded session's answer is given the shape Stripe's has: a client secret,
    no url."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.answers: list[dict[str, Any]] = []

    async def post_raw(
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        answer = await super().post_raw(path, params, idempotency_key=idempotency_key)
        self.answers.append(answer)
        if answer.get("ui_mode") != "embedded_page":
            return answer
        return {**answer, "url": None, "client_secret": f"{answer['id']}_secret_test"}


@pytest.fixture
def stripe_gateway(settings: Settings) -> StripeAnswersEmbedded:
    return stripe_gateway_for(settings, StripeAnswersEmbedded)


def embedded_input(**overrides: object) -> dict[str, object]:
    return {"priceId": BASIC_PRICE, "uiMode": "EMBEDDED", "returnUrl": RETURN_URL, **overrides}


async def checkout(client, token, **overrides):
    return await graphql(client, CHECKOUT, {"input": embedded_input(**overrides)}, token=token)


async def test_an_embedded_session_is_sent_with_its_return_url_and_no_success_or_cancel_url(
    client, token_for, catalog, stripe_calls
):
    await checkout(client, token_for("user-1"))

    [params] = stripe_calls.params["checkout_sessions"]
    assert params["ui_mode"] == "embedded_page"
    assert params["return_url"] == RETURN_URL
    assert "success_url" not in params
    assert "cancel_url" not in params


async def test_stripe_mock_accepts_the_embedded_session_as_sent(
    client, token_for, catalog, stripe_gateway
):
    await checkout(client, token_for("user-1"))

    [answer] = stripe_gateway.answers
    assert answer["id"].startswith("cs_")
    assert answer["ui_mode"] == "embedded_page"


async def test_an_embedded_session_answers_its_client_secret_and_no_url(client, token_for, catalog):
    body = await checkout(client, token_for("user-1"))

    session = body["data"]["createCheckoutSession"]
    assert session["clientSecret"] == f"{session['id']}_secret_test"
    assert session["url"] is None


async def test_a_hosted_session_answers_its_url_and_no_client_secret(client, token_for, catalog):
    body = await checkout(
        client,
        token_for("user-1"),
        uiMode="HOSTED",
        returnUrl=None,
        successUrl="https://localhost/welcome",
        cancelUrl="https://localhost/pricing",
    )

    session = body["data"]["createCheckoutSession"]
    assert session["url"].startswith("https://")
    assert session["clientSecret"] is None


async def test_hosted_is_the_default_ui_mode(client, token_for, catalog, stripe_calls):
    await checkout(
        client,
        token_for("user-1"),
        uiMode=None,
        returnUrl=None,
        successUrl="https://localhost/welcome",
        cancelUrl="https://localhost/pricing",
    )

    [params] = stripe_calls.params["checkout_sessions"]
    assert params["ui_mode"] == "hosted_page"
    assert "return_url" not in params


async def test_stripe_mock_refuses_the_ui_mode_names_of_older_api_versions(settings: Settings):
    gateway = stripe_gateway_for(settings)
    try:
        with pytest.raises(PaymentProviderError):
            await gateway.post_raw(
                "/v1/checkout/sessions",
                {"mode": "subscription", "ui_mode": "embedded", "return_url": RETURN_URL},
                idempotency_key="embedded-old-name",
            )
    finally:
        await gateway.close()


async def test_without_a_client_secret_from_stripe_the_session_is_a_provider_error(
    stripe_mock, database, catalog, token_for
):
    """stripe-mock's own answer has no client secret: the app is told, never given a null."""
    async with client_with(database_url=database, stripe_api_base=stripe_mock.url) as http:
        body = await checkout(http, token_for("user-1"))

    assert error_codes(body) == ["PAYMENT_PROVIDER_ERROR"]


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"returnUrl": None}, "needs returnUrl"),
        ({"successUrl": "https://localhost/welcome"}, "successUrl does not apply"),
        ({"cancelUrl": "https://localhost/pricing"}, "cancelUrl does not apply"),
        ({"returnUrl": "https://evil.example.com/return"}, "returnUrl"),
        ({"returnUrl": "javascript:alert(1)"}, "returnUrl"),
        ({"returnUrl": "http://localhost/{SESSION}"}, "returnUrl"),
        ({"uiMode": "HOSTED"}, "returnUrl does not apply"),
        (
            {"uiMode": "HOSTED", "returnUrl": None, "cancelUrl": "https://localhost/pricing"},
            "needs successUrl",
        ),
        (
            {"uiMode": "HOSTED", "returnUrl": None, "successUrl": "https://localhost/welcome"},
            "needs cancelUrl",
        ),
    ],
)
async def test_urls_that_do_not_fit_the_ui_mode_are_refused_before_any_stripe_call(
    client, token_for, catalog, stripe_calls, overrides, why
):
    body = await checkout(client, token_for("user-1"), **overrides)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert why in body["errors"][0]["message"]
    assert stripe_calls.params == {}
    assert (await User.get(external_id="user-1")).stripe_customer_id is None
