"""The pages with the service behind them: what a person does on the local Checkout and Customer
Portal reaches the service as webhooks, and its viewer shows it."""

from __future__ import annotations

from tests.local_stripe.conftest import REDIRECT_URL, SUCCESS_URL, Stand
from tests.local_stripe.pages_support import CARD_DETAILS, SUCCESS_CARD


async def pay_on_the_page(stand: Stand, checkout_url: str, number: str = SUCCESS_CARD) -> str:
    """Type `number` into the Checkout page at `checkout_url`; where the browser goes next."""
    answer = await stand.http.post(checkout_url, data={"number": number, **CARD_DETAILS})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


async def test_paying_on_the_checkout_page_shows_the_plan_in_the_service(stand: Stand):
    user = stand.user()
    session = await stand.subscribe(user)

    landing = await pay_on_the_page(stand, session["url"])

    assert landing == SUCCESS_URL.replace("{CHECKOUT_SESSION_ID}", session["id"])
    viewer = await user.viewer()
    assert viewer["hasActiveSubscription"] is True
    assert viewer["subscriptions"][0]["defaultPaymentMethod"] == {"brand": "visa", "last4": "4242"}


async def test_a_decline_on_the_checkout_page_leaves_the_service_without_a_plan(stand: Stand):
    user = stand.user()
    session = await stand.subscribe(user)

    back = await pay_on_the_page(stand, session["url"], "4000 0000 0000 0002")
    page = await stand.http.get(f"{stand.stripe_url}{back}")

    assert "Your card was declined." in page.text
    assert (await user.viewer())["subscriptions"] == []


async def test_cancelling_on_the_portal_page_shows_the_end_date_in_the_service(stand: Stand):
    user = stand.user()
    checkout = await stand.subscribe(user)
    await pay_on_the_page(stand, checkout["url"])
    paid = stand.local.checkout_session(checkout["id"])
    assert paid is not None
    created = await stand.stripe(
        "POST",
        "/v1/billing_portal/sessions",
        data={"customer": paid.customer_id, "return_url": REDIRECT_URL},
    )
    portal_url = created.json()["url"]

    await stand.http.post(f"{portal_url}/cancel")

    [subscription] = (await user.viewer())["subscriptions"]
    assert subscription["cancelAt"] is not None
    assert subscription["cancelAt"] == subscription["currentPeriodEnd"]
    overview = await stand.http.get(portal_url)
    assert f'href="{REDIRECT_URL}"' in overview.text
