"""confirmCheckout's refusals against stripe-mock: malformed ids, sessions that are not the
caller's, a payment still under way, the shared rate limit. (The journeys, with the webhooks
early, late, twice or never, run on the local Stripe: tests/local_stripe.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from billing_portal.bootstrap import stripe_gateway_for
from billing_portal.settings import Settings
from services.checkout_confirmation import MALFORMED, NOT_YOURS, UNPAID
from services.mirror.fetched_checkout import latest_moment
from services.models import Invoice, Subscription
from services.stripe_gateway import StripeGateway
from tests.api.conftest import BASIC_PRICE, client_with, user_with_customer
from tests.support import error_codes, graphql

CONFIRM = """
mutation ($id: ID!) { confirmCheckout(sessionId: $id) { id customerId hasActiveSubscription } }
"""
CHECKOUT = "mutation ($input: CheckoutInput!) { createCheckoutSession(input: $input) { id } }"
SESSION_ID = "cs_test_a1b2c3"


class StripeAsArranged(StripeGateway):
    """The real gateway to stripe-mock, which validates every call; it counts the calls, and
    gives what they answer the fields `arranged` holds (stripe-mock's sessions belong to
    nobody, and are never paid)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.calls = 0
        self.arranged: dict[str, Any] = {}

    async def call(self, operation: Callable[[Any], Awaitable[Any]]) -> Any:
        self.calls += 1
        answer = await super().call(operation)
        for field, value in self.arranged.items():
            answer[field] = value
        return answer


@pytest.fixture
def stripe_gateway(settings: Settings) -> StripeAsArranged:
    return stripe_gateway_for(settings, StripeAsArranged)


async def confirm(client, token, session_id=SESSION_ID):
    return await graphql(client, CONFIRM, {"id": session_id}, token=token)


def message(body: dict[str, Any]) -> str:
    return str(body["errors"][0]["message"])


@pytest.mark.parametrize(
    "session_id",
    ["{CHECKOUT_SESSION_ID}", "", "cs_", "sub_123", "cs_test/../v1/customers", "cs_" + "a" * 253],
)
async def test_a_malformed_id_is_bad_user_input_without_asking_stripe(
    client, token_for, stripe_gateway, session_id
):
    body = await confirm(client, token_for("user-1"), session_id)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert message(body) == MALFORMED
    assert stripe_gateway.calls == 0


async def test_a_session_that_names_neither_the_callers_customer_nor_the_caller_is_not_found(
    client, token_for
):
    await user_with_customer("user-1", "cus_mine")

    body = await confirm(client, token_for("user-1"))

    assert error_codes(body) == ["NOT_FOUND"]
    assert message(body) == NOT_YOURS


async def test_another_users_session_is_not_found(client, token_for, stripe_gateway):
    await user_with_customer("user-1", "cus_mine")
    stripe_gateway.arranged = {
        "customer": "cus_theirs",
        "client_reference_id": "user-2",
        "status": "complete",
        "payment_status": "paid",
    }

    body = await confirm(client, token_for("user-1"))

    assert error_codes(body) == ["NOT_FOUND"]
    assert message(body) == NOT_YOURS
    assert await Subscription.all().count() == await Invoice.all().count() == 0


async def test_a_complete_session_whose_payment_is_still_under_way_changes_nothing(
    client, token_for, stripe_gateway
):
    await user_with_customer("user-1", "cus_mine")
    # A bank debit: Checkout completes, and the payment settles days later.
    stripe_gateway.arranged = {
        "customer": "cus_mine",
        "status": "complete",
        "payment_status": "unpaid",
    }

    body = await confirm(client, token_for("user-1"))

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert message(body) == UNPAID
    assert await Subscription.all().count() == await Invoice.all().count() == 0


async def test_an_anonymous_caller_is_unauthenticated(client):
    body = await confirm(client, None)

    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_confirming_spends_the_same_per_user_budget_as_creating_sessions(
    stripe_mock, database, catalog, token_for
):
    checkout = {
        "priceId": BASIC_PRICE,
        "successUrl": "https://localhost/welcome?session={CHECKOUT_SESSION_ID}",
        "cancelUrl": "https://localhost/pricing",
    }
    limited = client_with(
        database_url=database, stripe_api_base=stripe_mock.url, rate_limit_sessions_per_minute=2
    )
    async with limited as http:
        token = token_for("user-1")
        created = [await graphql(http, CHECKOUT, {"input": checkout}, token=token)]
        confirmed = [await confirm(http, token) for _ in range(2)]
        other_user = await confirm(http, token_for("user-2"))

    assert [error_codes(body) for body in [*created, *confirmed]] == [
        [],
        ["NOT_FOUND"],
        ["RATE_LIMITED"],
    ]
    assert error_codes(other_user) == ["NOT_FOUND"]


def test_a_fetched_session_is_as_recent_as_the_latest_moment_it_records_as_past():
    session = {
        "created": 100,
        "expires_at": 90_000,
        "subscription": {
            "start_date": 120,
            "current_period_end": 2_600_000,
            "trial_end": None,
            "items": {"data": [{"current_period_start": 120, "current_period_end": 2_600_000}]},
        },
        "invoice": {"status_transitions": {"finalized_at": 121, "paid_at": 122}},
        "line_items": {"data": [{"price": {"created": 5}}]},
    }

    assert latest_moment(session) == 122
