"""createPortalSession against the real stripe-mock: return URLs, flows and refusals."""

from __future__ import annotations

import uuid

import pytest

from services.models import PortalBlock, PortalConfiguration, Subscription
from tests.api.conftest import BASIC_PRICE, client_with, user_with_customer
from tests.support import error_codes, graphql

PORTAL = """
mutation ($input: PortalSessionInput!) {
  createPortalSession(input: $input) { id url returnUrl }
}
"""


async def portal(client, token, **input_):
    return await graphql(client, PORTAL, {"input": input_}, token=token)


@pytest.fixture
async def block(database):
    return await PortalBlock.create(title="Billing", redirect_url="https://localhost/account")


async def subscribe(customer_id: str, subscription_id: str, status: str = "active") -> None:
    await Subscription.create(
        id=subscription_id, customer_id=customer_id, status=status, price_id=BASIC_PRICE
    )


async def test_a_session_from_a_block_returns_to_its_redirect_url(
    client, token_for, block, stripe_calls
):
    await user_with_customer("user-1", "cus_1")

    body = await portal(client, token_for("user-1"), blockId=str(block.id))

    session = body["data"]["createPortalSession"]
    assert session["id"].startswith("bps_")
    assert session["url"].startswith("https://")
    assert session["returnUrl"] == "https://localhost/account"
    [params] = stripe_calls.params["portal_sessions"]
    assert params == {"customer": "cus_1", "return_url": "https://localhost/account"}


async def test_a_session_with_a_return_url_returns_there(client, token_for, stripe_calls):
    await user_with_customer("user-1", "cus_1")

    body = await portal(client, token_for("user-1"), returnUrl="http://localhost:5173/billing")

    assert body["data"]["createPortalSession"]["returnUrl"] == "http://localhost:5173/billing"


async def test_a_session_uses_the_saved_portal_configuration(client, token_for, stripe_calls):
    await user_with_customer("user-1", "cus_1")
    await PortalConfiguration.create(id=1, stripe_configuration_id="bpc_saved", options={})

    body = await portal(client, token_for("user-1"), returnUrl="https://localhost/billing")

    assert "errors" not in body
    assert stripe_calls.params["portal_sessions"][0]["configuration"] == "bpc_saved"


async def test_the_payment_method_flow_deep_links_and_comes_back(client, token_for, stripe_calls):
    await user_with_customer("user-1", "cus_1")

    body = await portal(
        client, token_for("user-1"), returnUrl="https://localhost/b", flow="PAYMENT_METHOD_UPDATE"
    )

    assert "errors" not in body
    assert stripe_calls.params["portal_sessions"][0]["flow_data"] == {
        "type": "payment_method_update",
        "after_completion": {"type": "redirect", "redirect": {"return_url": "https://localhost/b"}},
    }


@pytest.mark.parametrize(
    ("flow", "kind"),
    [
        ("SUBSCRIPTION_CANCEL", "subscription_cancel"),
        ("SUBSCRIPTION_UPDATE", "subscription_update"),
    ],
)
async def test_subscription_flows_act_on_the_viewers_current_subscription(
    client, token_for, stripe_calls, flow, kind
):
    await user_with_customer("user-1", "cus_1")
    await subscribe("cus_1", "sub_old", status="canceled")
    await subscribe("cus_1", "sub_current")

    body = await portal(client, token_for("user-1"), returnUrl="https://localhost/b", flow=flow)

    assert "errors" not in body
    flow_data = stripe_calls.params["portal_sessions"][0]["flow_data"]
    assert flow_data["type"] == kind
    assert flow_data[kind] == {"subscription": "sub_current"}


async def test_a_subscription_flow_without_a_current_subscription_is_refused(
    client, token_for, stripe_calls
):
    await user_with_customer("user-1", "cus_1")
    await subscribe("cus_1", "sub_old", status="canceled")

    body = await portal(
        client, token_for("user-1"), returnUrl="https://localhost/b", flow="SUBSCRIPTION_CANCEL"
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert stripe_calls.params == {}


async def test_a_user_cannot_cancel_another_users_subscription(client, token_for, stripe_calls):
    await user_with_customer("user-a", "cus_a")
    await user_with_customer("user-b", "cus_b")
    await subscribe("cus_b", "sub_of_b")

    body = await portal(
        client, token_for("user-a"), returnUrl="https://localhost/b", flow="SUBSCRIPTION_CANCEL"
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert stripe_calls.params == {}


async def test_a_portal_session_before_any_checkout_is_refused(client, token_for, block):
    body = await portal(client, token_for("user-1"), blockId=str(block.id))

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert "billing account" in body["errors"][0]["message"]


@pytest.mark.parametrize("block_id", [str(uuid.uuid4()), "not-a-uuid"])
async def test_an_unknown_block_is_not_found(client, token_for, block_id):
    await user_with_customer("user-1", "cus_1")

    body = await portal(client, token_for("user-1"), blockId=block_id)

    assert error_codes(body) == ["NOT_FOUND"]


async def test_both_a_block_and_a_return_url_are_refused(client, token_for, block):
    await user_with_customer("user-1", "cus_1")

    body = await portal(
        client, token_for("user-1"), blockId=str(block.id), returnUrl="https://localhost/b"
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_neither_a_block_nor_a_return_url_is_refused(client, token_for):
    await user_with_customer("user-1", "cus_1")

    assert error_codes(await portal(client, token_for("user-1"))) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/billing",
        "https://evil.example.com/billing",
        "javascript:alert(document.cookie)",
        "billing",
        "https://user:pass@localhost/billing",
    ],
)
async def test_an_unsafe_return_url_is_refused(client, token_for, stripe_calls, url):
    await user_with_customer("user-1", "cus_1")

    body = await portal(client, token_for("user-1"), returnUrl=url)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert stripe_calls.params == {}


async def test_portal_sessions_need_a_token(client, block):
    assert error_codes(await portal(client, None, blockId=str(block.id))) == ["UNAUTHENTICATED"]


async def test_portal_sessions_share_the_per_user_session_budget(stripe_mock, database, token_for):
    await user_with_customer("user-1", "cus_1")
    limited = client_with(
        database_url=database, stripe_api_base=stripe_mock.url, rate_limit_sessions_per_minute=2
    )
    async with limited as http:
        token = token_for("user-1")
        bodies = [await portal(http, token, returnUrl="https://localhost/b") for _ in range(3)]

    assert [error_codes(body) for body in bodies] == [[], [], ["RATE_LIMITED"]]
