"""configureCustomerPortal: the Stripe portal configuration is created once, then updated."""

from __future__ import annotations

import pytest

from services.models import PortalConfiguration
from tests.api.conftest import BASIC_PRICE, BASIC_PRODUCT, ONE_TIME_PRICE, PRO_PRICE, PRO_PRODUCT
from tests.support import error_codes, graphql

CONFIGURE = """
mutation ($input: PortalConfigurationInput!) {
  configureCustomerPortal(input: $input) {
    id cancelSubscription cancellationMode updatePaymentMethod updateSubscription
    updateSubscriptionPriceIds invoiceHistory updateCustomerDetails headline defaultReturnUrl
  }
}
"""
READ = "query { portalConfiguration { id cancellationMode headline } }"
OPTIONS = {
    "cancelSubscription": True,
    "cancellationMode": "immediately",
    "updatePaymentMethod": True,
    "updateSubscription": True,
    "updateSubscriptionPriceIds": [BASIC_PRICE, PRO_PRICE],
    "invoiceHistory": True,
    "updateCustomerDetails": True,
    "headline": "Acme billing",
    "defaultReturnUrl": "https://localhost/account",
}


async def configure(client, token, **overrides):
    return await graphql(client, CONFIGURE, {"input": {**OPTIONS, **overrides}}, token=token)


async def test_the_first_save_creates_a_stripe_configuration(
    client, admin_token, catalog, stripe_calls
):
    body = await configure(client, admin_token)

    saved = body["data"]["configureCustomerPortal"]
    assert saved["id"].startswith("bpc_")
    assert {key: saved[key] for key in OPTIONS} == OPTIONS
    row = await PortalConfiguration.get()
    assert row.stripe_configuration_id == saved["id"]
    [params] = stripe_calls.params["portal_configurations"]
    features = params["features"]
    assert features["subscription_cancel"] == {"enabled": True, "mode": "immediately"}
    assert features["subscription_update"]["products"] == [
        {"product": BASIC_PRODUCT, "prices": [BASIC_PRICE]},
        {"product": PRO_PRODUCT, "prices": [PRO_PRICE]},
    ]
    assert params["business_profile"] == {"headline": "Acme billing"}
    assert params["default_return_url"] == "https://localhost/account"


async def test_a_later_save_updates_the_same_configuration(
    client, admin_token, catalog, stripe_calls
):
    first = (await configure(client, admin_token))["data"]["configureCustomerPortal"]

    second = await configure(
        client,
        admin_token,
        updateSubscription=False,
        updateSubscriptionPriceIds=None,
        cancellationMode="at_period_end",
        headline=None,
    )

    assert second["data"]["configureCustomerPortal"]["id"] == first["id"]
    assert len(stripe_calls.params["portal_configurations"]) == 1
    assert await PortalConfiguration.all().count() == 1
    read = await graphql(client, READ, token=admin_token)
    assert read["data"]["portalConfiguration"] == {
        "id": first["id"],
        "cancellationMode": "at_period_end",
        "headline": None,
    }


async def test_without_a_saved_configuration_the_admin_reads_null(client, admin_token):
    assert (await graphql(client, READ, token=admin_token)) == {
        "data": {"portalConfiguration": None}
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"cancellationMode": "whenever"},
        {"updateSubscriptionPriceIds": []},
        {"updateSubscriptionPriceIds": ["price_unknown"]},
        {"updateSubscriptionPriceIds": [ONE_TIME_PRICE]},
        {"headline": "x" * 61},
        {"defaultReturnUrl": "https://evil.example.com/"},
    ],
)
async def test_bad_options_are_refused_before_stripe_is_called(
    client, admin_token, catalog, stripe_calls, overrides
):
    body = await configure(client, admin_token, **overrides)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert stripe_calls.params == {}
    assert await PortalConfiguration.all().count() == 0
