"""Checkout through the service, on the local Stripe: the URL it returns, the card typed on the
page, and what the service's viewer then shows."""

from __future__ import annotations

import pytest

from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.errors import ActionRefused, CardDeclined
from tests.local_stripe.conftest import CANCEL_URL, Stand

VISA = CardInput("4242 4242 4242 4242", 12, 2034)


async def test_create_checkout_session_returns_a_page_on_the_local_stripe(stand: Stand) -> None:
    session = await stand.subscribe(stand.user())

    assert session["url"] == f"{stand.stripe_url}/checkout/{session['id']}"


async def test_the_checkout_page_opens_at_the_returned_url(stand: Stand) -> None:
    session = await stand.subscribe(stand.user())

    page = await stand.http.get(session["url"])

    assert page.status_code == 200
    assert "Basic" in page.text


async def test_completing_checkout_sends_the_webhooks_that_show_the_plan(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user)

    landing = await stand.local.complete_checkout(session["id"], VISA)

    assert landing == f"http://localhost/billing/success?session_id={session['id']}"
    viewer = await user.viewer()
    assert viewer["hasActiveSubscription"] is True
    [subscription] = viewer["subscriptions"]
    assert (subscription["planName"], subscription["status"]) == ("Basic monthly", "ACTIVE")
    assert subscription["defaultPaymentMethod"] == {"brand": "visa", "last4": "4242"}


async def test_a_declined_card_changes_nothing(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user)

    with pytest.raises(CardDeclined) as declined:
        await stand.local.complete_checkout(session["id"], CardInput("4000000000000002"))

    assert declined.value.message == "Your card was declined."
    assert (await user.viewer())["subscriptions"] == []
    assert _status(stand, session["id"]) == "open"


async def test_insufficient_funds_is_declined_with_its_own_reason(stand: Stand) -> None:
    session = await stand.subscribe(stand.user())

    with pytest.raises(CardDeclined) as declined:
        await stand.local.complete_checkout(session["id"], CardInput("4000000000009995"))

    assert declined.value.decline_code == "insufficient_funds"


async def test_a_card_that_fails_its_charges_still_starts_a_trial(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user, trialDays=7)

    await stand.local.complete_checkout(session["id"], CardInput("4000000000000341"))

    [subscription] = (await user.viewer())["subscriptions"]
    assert subscription["status"] == "TRIALING"


async def test_a_completed_session_cannot_be_paid_again(stand: Stand) -> None:
    session = await stand.subscribe(stand.user())
    await stand.local.complete_checkout(session["id"], VISA)

    with pytest.raises(ActionRefused):
        await stand.local.complete_checkout(session["id"], VISA)


async def test_walking_away_expires_the_session_and_returns_to_the_cancel_url(
    stand: Stand,
) -> None:
    user = stand.user()
    session = await stand.subscribe(user)

    back = await stand.local.abandon_checkout(session["id"])

    assert back == CANCEL_URL
    assert _status(stand, session["id"]) == "expired"
    assert (await user.viewer())["subscriptions"] == []


async def test_retrieving_the_session_returns_the_journeys_own_objects(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user)
    await stand.local.complete_checkout(session["id"], VISA)
    viewer = await user.viewer()

    answer = await stand.stripe(
        "GET",
        f"/v1/checkout/sessions/{session['id']}",
        params={"expand[0]": "subscription.default_payment_method", "expand[1]": "invoice"},
    )

    retrieved = answer.json()
    assert retrieved["status"] == "complete"
    assert retrieved["customer"] == viewer["customerId"]
    subscription = retrieved["subscription"]
    assert subscription["id"] == viewer["subscriptions"][0]["id"]
    assert subscription["default_payment_method"]["card"]["last4"] == "4242"
    assert retrieved["invoice"]["id"] == viewer["invoices"][0]["id"]
    assert retrieved["invoice"]["status"] == "paid"


async def test_the_sessions_line_items_are_what_was_bought(stand: Stand) -> None:
    session = await stand.subscribe(stand.user(), quantity=3)

    answer = await stand.stripe("GET", f"/v1/checkout/sessions/{session['id']}/line_items")

    [item] = answer.json()["data"]
    assert (item["description"], item["quantity"], item["amount_total"]) == ("Basic", 3, 2700)


async def test_a_one_time_purchase_shows_its_paid_invoice(stand: Stand) -> None:
    user = stand.user()
    session = await stand.subscribe(user, plan="Setup session", mode="PAYMENT")

    await stand.local.complete_checkout(session["id"], VISA)

    viewer = await user.viewer()
    assert [(i["status"], i["amountPaid"]) for i in viewer["invoices"]] == [("paid", 4900)]
    assert viewer["subscriptions"] == []


def _status(stand: Stand, session_id: str) -> str:
    session = stand.local.checkout_session(session_id)
    assert session is not None
    return session.status
