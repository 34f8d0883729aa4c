"""Identifiers a client sends that no database can store or look up (NUL, unpaired surrogates)
are simply unknown: a clean refusal or a plain answer, never a failed query."""

from __future__ import annotations

import pytest

from tests.api.conftest import user_with_customer
from tests.hardening.support import (
    CHECKOUT,
    CHECKOUT_URLS,
    CONFIGURE_PORTAL,
    PORTAL_OPTIONS,
    graphql,
)
from tests.support import error_codes

UNSTORABLE = pytest.mark.parametrize(
    "identifier", ["price_\x00basic", f"price_{chr(0xD800)}basic"], ids=["nul", "surrogate"]
)
HAS_ACTIVE = """
query($price: String, $product: String) {
  viewer { hasActiveSubscription(priceId: $price, productId: $product) }
}
"""


@UNSTORABLE
async def test_a_checkout_for_such_a_price_id_is_bad_user_input(
    client, token_for, catalog, identifier
):
    checkout = {"priceId": identifier, **CHECKOUT_URLS}

    body = await graphql(client, CHECKOUT, {"input": checkout}, token=token_for("user-1"))

    assert error_codes(body) == ["BAD_USER_INPUT"]


@UNSTORABLE
async def test_a_portal_configuration_switching_to_such_a_price_is_bad_user_input(
    client, admin_token, catalog, identifier
):
    options = {
        **PORTAL_OPTIONS,
        "updateSubscription": True,
        "updateSubscriptionPriceIds": [identifier],
    }

    body = await graphql(client, CONFIGURE_PORTAL, {"input": options}, token=admin_token)

    assert error_codes(body) == ["BAD_USER_INPUT"]


@UNSTORABLE
@pytest.mark.parametrize("argument", ["price", "product"])
async def test_an_entitlement_check_on_such_an_id_is_false(client, token_for, identifier, argument):
    await user_with_customer("user-1", "cus_1")

    body = await graphql(client, HAS_ACTIVE, {argument: identifier}, token=token_for("user-1"))

    assert body == {"data": {"viewer": {"hasActiveSubscription": False}}}
