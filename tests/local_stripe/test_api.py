"""The local Stripe's API: validated by stripe-mock first, answered from the account's state,
in the caller's API version."""

from __future__ import annotations

import re

import httpx

from simulator.local_stripe.cards import CardInput
from tests.local_stripe.conftest import Stand

VISA = CardInput("4242424242424242")

# stripe-mock names its validator by memory address, which differs between two requests.
ADDRESS = re.compile(r"0x[0-9a-f]+")


def _without_addresses(answer: httpx.Response) -> str:
    return ADDRESS.sub("0x…", answer.text)


async def test_a_request_stripe_mock_rejects_gets_stripe_mocks_error(stand: Stand) -> None:
    bad = {"mode": "not-a-mode", "success_url": "http://localhost/ok"}

    local = await stand.stripe("POST", "/v1/checkout/sessions", data=bad)
    direct = await stand.http.post(
        f"{stand.stripe_mock_url}/v1/checkout/sessions",
        data=bad,
        headers={"authorization": f"Bearer {stand.settings.api_key}"},
    )

    assert local.status_code == direct.status_code == 400
    assert _without_addresses(local) == _without_addresses(direct)


async def test_a_call_it_does_not_model_is_answered_by_stripe_mock(stand: Stand) -> None:
    answer = await stand.stripe("GET", "/v1/balance")

    assert answer.status_code == 200
    assert answer.json()["object"] == "balance"


async def test_an_id_the_account_does_not_hold_is_missing(stand: Stand) -> None:
    answer = await stand.stripe("GET", "/v1/customers/cus_unknown")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "resource_missing"
    assert answer.json()["error"]["message"] == "No such customer: 'cus_unknown'"


async def test_checkout_of_a_price_the_catalog_lacks_is_refused(stand: Stand) -> None:
    user = stand.user()
    await stand.subscribe(user)  # the service creates the customer
    customer_id = (await user.viewer())["customerId"]

    answer = await stand.stripe(
        "POST",
        "/v1/checkout/sessions",
        data={
            "mode": "subscription",
            "customer": customer_id,
            "line_items[0][price]": "price_unknown",
            "success_url": "http://localhost/ok",
        },
    )

    assert answer.status_code == 400
    assert answer.json()["error"]["param"] == "line_items[0][price]"


async def test_the_catalog_lists_the_demo_plans(stand: Stand) -> None:
    plans = await stand.user().plans()

    assert {(p["name"], p["unitAmount"], p["interval"]) for p in plans} == {
        ("Basic", 900, "month"),
        ("Pro", 2900, "month"),
        ("Setup session", 4900, None),
    }


async def test_a_customer_is_created_once_per_idempotency_key(stand: Stand) -> None:
    created = [
        await stand.stripe(
            "POST",
            "/v1/customers",
            data={"email": "a@example.com"},
            headers={"idempotency-key": "k"},
        )
        for _ in range(2)
    ]

    assert created[0].json()["id"] == created[1].json()["id"]
    assert created[1].headers["idempotent-replayed"] == "true"


async def test_an_idempotency_key_reused_for_another_request_is_refused(stand: Stand) -> None:
    key = {"idempotency-key": "reused"}
    await stand.stripe("POST", "/v1/customers", data={"email": "a@example.com"}, headers=key)

    again = await stand.stripe(
        "POST", "/v1/customers", data={"email": "b@example.com"}, headers=key
    )

    assert again.status_code == 400
    assert again.json()["error"]["type"] == "idempotency_error"


async def test_objects_are_rendered_in_the_requested_api_version(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user)
    await stand.local.complete_checkout(session["id"], VISA)
    subscription_id = (await user.viewer())["subscriptions"][0]["id"]

    newest = await stand.stripe("GET", f"/v1/subscriptions/{subscription_id}")
    older = await stand.stripe(
        "GET",
        f"/v1/subscriptions/{subscription_id}",
        headers={"stripe-version": "2025-01-27.acacia"},
    )

    assert "current_period_end" not in newest.json()
    assert (
        older.json()["current_period_end"]
        == newest.json()["items"]["data"][0]["current_period_end"]
    )


async def test_lists_are_filtered_by_customer(stand: Stand) -> None:
    buyers = [stand.user("buyer-1"), stand.user("buyer-2")]
    for buyer in buyers:
        await stand.local.complete_checkout((await stand.subscribe(buyer))["id"], VISA)
    customer_id = (await buyers[0].viewer())["customerId"]

    answer = await stand.stripe(
        "GET", "/v1/subscriptions", params={"customer": customer_id, "status": "all"}
    )

    assert [row["customer"] for row in answer.json()["data"]] == [customer_id]


async def test_the_active_entitlements_are_the_features_of_the_plan(stand: Stand) -> None:
    user = stand.user()
    await stand.local.complete_checkout((await stand.subscribe(user))["id"], VISA)
    viewer = await user.viewer()
    plan = stand.local.price(viewer["subscriptions"][0]["priceId"])
    assert plan is not None

    answer = await stand.stripe(
        "GET", "/v1/entitlements/active_entitlements", params={"customer": viewer["customerId"]}
    )

    listed = [row["lookup_key"] for row in answer.json()["data"]]
    assert listed == [feature.lookup_key for feature in plan.features]


async def test_a_products_features_are_those_of_the_catalog(stand: Stand) -> None:
    plan = stand.local.prices()[0]

    answer = await stand.stripe("GET", f"/v1/products/{plan.product_id}/features")

    listed = [row["entitlement_feature"]["lookup_key"] for row in answer.json()["data"]]
    assert listed == [feature.lookup_key for feature in plan.features]


async def test_the_charges_are_the_customers_payments(stand: Stand) -> None:
    user = stand.user()
    await stand.local.complete_checkout((await stand.subscribe(user))["id"], VISA)

    answer = await stand.stripe(
        "GET", "/v1/charges", params={"customer": (await user.viewer())["customerId"]}
    )

    [charge] = answer.json()["data"]
    assert (charge["amount"], charge["status"]) == (900, "succeeded")
