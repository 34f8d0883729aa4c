"""One-time purchases on the simulated Stripe: what a paid Checkout Session sold (its line items,
which the API recorder answers for), and a full refund."""

from __future__ import annotations

import httpx
import pytest

from simulator.stripe_side.api_recorder import recording
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.portal_configurations import PortalConfigurations
from tests.simulator.stripe_account import Account, the, types

AUTHORIZATION = {"Authorization": "Bearer sk_test_spec"}


async def test_a_paid_checkout_records_what_it_sold(account: Account):
    await account.buy_once("setup")

    [item] = account.line_items.of("cs_spec") or []
    setup = account.catalog["setup"]
    assert (item["object"], item["price"]["id"], item["price"]["product"]) == (
        "item",
        setup.price_id,
        setup.product_id,
    )
    assert (item["quantity"], item["amount_total"]) == (1, setup.unit_amount)


async def test_a_full_refund_sends_the_refund_and_the_refunded_charge(account: Account):
    burst = await account.buy_once("setup")
    intent = the("checkout.session.completed", burst)["data"]["object"]["payment_intent"]

    await account.customer.refund_purchase()

    refunded = account.take()
    assert types(refunded) == {"refund.created": 1, "charge.refunded": 1}
    refund = the("refund.created", refunded)["data"]["object"]
    charge = the("charge.refunded", refunded)["data"]["object"]
    assert (refund["status"], refund["payment_intent"], refund["charge"]) == (
        "succeeded",
        intent,
        charge["id"],
    )
    assert (charge["refunded"], charge["amount_refunded"]) == (True, charge["amount"])


async def test_a_customer_who_bought_nothing_has_nothing_to_refund(account: Account):
    await account.subscribe("basic")

    with pytest.raises(RuntimeError, match="bought nothing"):
        await account.customer.refund_purchase()


async def _line_items(stripe_url: str, session_id: str, limit: str = "100") -> httpx.Response:
    async with httpx.AsyncClient(base_url=stripe_url, headers=AUTHORIZATION) as http:
        return await http.get(f"/v1/checkout/sessions/{session_id}/line_items?limit={limit}")


async def test_the_recorder_answers_a_sessions_line_items_from_what_it_sold(stripe_mock):
    sold = CheckoutLineItems()
    sold.record("cs_sold", [{"id": "li_sold", "object": "item", "quantity": 2}])
    async with recording(stripe_mock.url, PortalConfigurations(), sold) as stripe_url:
        answer = await _line_items(stripe_url, "cs_sold")
        unknown = await _line_items(stripe_url, "cs_elsewhere")

    assert answer.status_code == 200
    assert answer.json() == {
        "object": "list",
        "data": [{"id": "li_sold", "object": "item", "quantity": 2}],
        "has_more": False,
        "url": "/v1/checkout/sessions/cs_sold/line_items",
    }
    assert unknown.status_code == 200
    assert unknown.json()["data"][0]["id"] != "li_sold"  # stripe-mock's own fixture


async def test_the_recorder_answers_what_stripe_mock_refuses_as_stripe_mock_does(stripe_mock):
    sold = CheckoutLineItems()
    sold.record("cs_sold", [{"id": "li_sold", "object": "item", "quantity": 1}])
    async with recording(stripe_mock.url, PortalConfigurations(), sold) as stripe_url:
        refused = await _line_items(stripe_url, "cs_sold", limit="oops")

    assert refused.status_code == 400
