"""A Stripe request is named by its method and path with every id replaced by `{id}`, and by
what became of it."""

from __future__ import annotations

import pytest

from services.stripe_endpoints import StripeOutcome, endpoint, outcome

API = "https://api.stripe.com"


@pytest.mark.parametrize(
    ("method", "path", "named"),
    [
        ("get", "/v1/customers/cus_Q1w2E3r4", "GET /v1/customers/{id}"),
        ("post", "/v1/customers", "POST /v1/customers"),
        ("get", "/v1/customers/search", "GET /v1/customers/search"),
        ("get", "/v1/customers/cus_1/payment_methods", "GET /v1/customers/{id}/payment_methods"),
        ("post", "/v1/checkout/sessions", "POST /v1/checkout/sessions"),
        (
            "get",
            "/v1/checkout/sessions/cs_test_a1/line_items",
            "GET /v1/checkout/sessions/{id}/line_items",
        ),
        (
            "post",
            "/v1/billing_portal/configurations/bpc_1",
            "POST /v1/billing_portal/configurations/{id}",
        ),
        (
            "get",
            "/v1/entitlements/active_entitlements",
            "GET /v1/entitlements/active_entitlements",
        ),
        ("get", "/v1/products/basic-plan/features", "GET /v1/products/{id}/features"),
        (
            "post",
            "/v1/test_helpers/test_clocks/clock_1/advance",
            ("POST /v1/test_helpers/test_clocks/{id}/advance"),
        ),
    ],
)
def test_every_id_of_a_path_becomes_a_placeholder(method, path, named):
    assert endpoint(method, API + path) == named


def test_the_query_string_is_not_part_of_the_endpoint():
    assert endpoint("get", f"{API}/v1/prices?active=true&limit=100") == "GET /v1/prices"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (200, StripeOutcome.OK),
        (402, StripeOutcome.REFUSED),
        (404, StripeOutcome.REFUSED),
        (429, StripeOutcome.RATE_LIMITED),
        (500, StripeOutcome.ERROR),
        (None, StripeOutcome.UNREACHABLE),
    ],
)
def test_the_outcome_follows_the_status_stripe_answered(status, expected):
    assert outcome(status) is expected
