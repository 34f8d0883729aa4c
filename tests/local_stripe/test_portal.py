"""The Customer Portal through the service, on the local Stripe: the URL it returns, the
configuration the admin saved, and what each portal action shows in the viewer."""

from __future__ import annotations

import pytest

from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.errors import ActionRefused
from tests.local_stripe.conftest import REDIRECT_URL, Stand


async def test_create_portal_session_returns_a_page_on_the_local_stripe(stand: Stand) -> None:
    _, portal = await stand.on_basic_with_a_portal()

    assert portal["url"] == f"{stand.stripe_url}/portal/{portal['id']}"
    assert stand.local.return_url(portal["id"]) == REDIRECT_URL


async def test_the_portal_offers_what_the_admin_configured(stand: Stand) -> None:
    _, portal = await stand.on_basic_with_a_portal()

    offered = stand.local.portal_configuration(portal["id"])

    assert offered.update_enabled
    assert [p.product_name for p in stand.local.switchable_prices(portal["id"])] == [
        "Basic",
        "Pro",
    ]


async def test_cancelling_in_the_portal_shows_the_end_date(stand: Stand) -> None:
    user, portal = await stand.on_basic_with_a_portal()

    await stand.local.cancel_subscription(portal["id"])

    [subscription] = (await user.viewer())["subscriptions"]
    assert subscription["cancelAtPeriodEnd"] is True
    assert subscription["cancelAt"] == subscription["currentPeriodEnd"]


async def test_renewing_withdraws_the_cancellation(stand: Stand) -> None:
    user, portal = await stand.on_basic_with_a_portal()
    await stand.local.cancel_subscription(portal["id"])

    await stand.local.renew_subscription(portal["id"])

    [subscription] = (await user.viewer())["subscriptions"]
    assert (subscription["cancelAtPeriodEnd"], subscription["cancelAt"]) == (False, None)


async def test_switching_plan_shows_the_new_plan(stand: Stand) -> None:
    user, portal = await stand.on_basic_with_a_portal()
    pro = next(p for p in stand.local.prices() if p.product_name == "Pro")

    await stand.local.switch_plan(portal["id"], pro.price_id)

    [subscription] = (await user.viewer())["subscriptions"]
    assert subscription["planName"] == "Pro monthly"


async def test_changing_quantity_shows_the_new_quantity(stand: Stand) -> None:
    user, portal = await stand.on_basic_with_a_portal()

    await stand.local.change_quantity(portal["id"], 3)

    assert (await user.viewer())["subscriptions"][0]["quantity"] == 3


async def test_a_new_card_becomes_the_customers_default(stand: Stand) -> None:
    user, portal = await stand.on_basic_with_a_portal()

    await stand.local.update_card(portal["id"], CardInput("5555555555554444"))

    assert (await user.viewer())["defaultPaymentMethod"]["last4"] == "4444"


async def test_nothing_to_renew_is_refused(stand: Stand) -> None:
    _, portal = await stand.on_basic_with_a_portal()

    with pytest.raises(ActionRefused):
        await stand.local.renew_subscription(portal["id"])


async def test_the_sessions_configuration_is_the_one_the_service_saved(stand: Stand) -> None:
    _, portal = await stand.on_basic_with_a_portal()
    session = stand.local.portal_session(portal["id"])
    assert session is not None

    configuration = await stand.stripe(
        "GET", f"/v1/billing_portal/configurations/{session.configuration_id}"
    )

    features = configuration.json()["features"]
    assert features["subscription_update"]["proration_behavior"] == "create_prorations"
    assert features["subscription_cancel"]["mode"] == "at_period_end"
