"""Embedded Checkout on the local Stripe: the session the API answers (a client secret, a return
URL, no page of its own), the refusals Stripe makes, its Checkout page framed by the client
secret (the hosted page's card form and payment), the stand-in Stripe.js, and the service's
`uiMode: EMBEDDED` working offline."""

from __future__ import annotations

import re
from typing import Any

import httpx

from simulator.app_users import AppUser
from simulator.local_stripe.cards import CardInput
from simulator.local_stripe.pages.stripe_js import STRIPE_JS_PATH
from simulator.local_stripe.sessions import CheckoutSession
from simulator.toolkit.graphql import GraphQLClient
from simulator.toolkit.tokens import TokenMinter
from tests.local_stripe.conftest import Stand
from tests.local_stripe.pages_support import (
    API_HEADERS,
    BASE_URL,
    CANCEL_URL,
    CARD_DETAILS,
    SUCCESS_CARD,
    SUCCESS_URL,
    PagesStand,
    event_types,
    text_of,
)

RETURN_URL = "https://app.example/thanks?session={CHECKOUT_SESSION_ID}"
# A return URL the service allows.
SERVICE_RETURN = "http://localhost/billing/return?session={CHECKOUT_SESSION_ID}"
DECLINED_CARD = "4000 0000 0000 0002"
# An API version from before Checkout's UI modes were renamed.
CLOVER = "2025-09-30.clover"
EMBEDDED_CHECKOUT = """
mutation Embedded($input: CheckoutInput!) {
  createCheckoutSession(input: $input) { id url clientSecret }
}
"""
COMPLETE = re.compile(r'<meta name="local-stripe-checkout-complete" content="([^"]*)">')


async def create(pages: PagesStand, **params: str) -> httpx.Response:
    """POST /v1/checkout/sessions for a new customer and Pro, with `params` on top."""
    customer = await pages.customer()
    form = {
        "mode": "subscription",
        "customer": customer.id,
        "line_items[0][price]": pages.local.side.catalog["pro"].price_id,
        "line_items[0][quantity]": "1",
        **params,
    }
    return await pages.browser.post("/v1/checkout/sessions", data=form, headers=API_HEADERS)


async def embedded(pages: PagesStand, **params: str) -> dict[str, Any]:
    answer = await create(pages, ui_mode="embedded_page", return_url=RETURN_URL, **params)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def session_of(pages: PagesStand, created: dict[str, Any]) -> CheckoutSession:
    session = pages.local.checkout_session(created["id"])
    assert session is not None
    return session


async def pay_in_frame(pages: PagesStand, client_secret: str, number: str) -> httpx.Response:
    """Type a card into the embedded Checkout frame and press its button."""
    return await pages.browser.post(
        f"/embedded-checkout/{client_secret}", data={"number": number, **CARD_DETAILS}
    )


def refusal(answer: httpx.Response) -> tuple[int, str, str | None]:
    error = answer.json()["error"]
    return answer.status_code, error["message"], error.get("param")


# -- the API --------------------------------------------------------------------------------


async def test_an_embedded_session_answers_a_client_secret_and_its_return_url_but_no_url(
    pages: PagesStand,
):
    created = await embedded(pages)

    assert created["ui_mode"] == "embedded_page"
    assert re.fullmatch(rf"{created['id']}_secret_[0-9a-f]+", created["client_secret"])
    assert created["url"] is None
    assert created["return_url"] == RETURN_URL
    assert created["redirect_on_completion"] == "always"
    assert (created["success_url"], created["cancel_url"]) == (None, None)


async def test_retrieving_an_embedded_session_shows_what_creating_it_answered(pages: PagesStand):
    created = await embedded(pages)

    retrieved = await pages.browser.get(
        f"/v1/checkout/sessions/{created['id']}", headers=API_HEADERS
    )

    assert retrieved.json() == created


async def test_a_hosted_session_has_a_page_and_no_client_secret(pages: PagesStand):
    answer = await create(pages, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)

    created = answer.json()
    assert created["ui_mode"] == "hosted_page"
    assert created["url"] == f"{BASE_URL}/checkout/{created['id']}"
    assert (created["client_secret"], created["return_url"]) == (None, None)
    assert created["redirect_on_completion"] is None


async def test_an_api_version_before_the_rename_reads_the_ui_modes_by_their_old_names(
    pages: PagesStand,
):
    created = await embedded(pages)
    hosted = (await create(pages, success_url=SUCCESS_URL)).json()

    names = [
        (
            await pages.browser.get(
                f"/v1/checkout/sessions/{session['id']}",
                headers={**API_HEADERS, "Stripe-Version": CLOVER},
            )
        ).json()["ui_mode"]
        for session in (created, hosted)
    ]

    assert names == ["embedded", "hosted"]


async def test_an_embedded_session_may_never_redirect_and_then_has_no_return_url(
    pages: PagesStand,
):
    answer = await create(pages, ui_mode="embedded_page", redirect_on_completion="never")

    created = answer.json()
    assert created["redirect_on_completion"] == "never"
    assert created["return_url"] is None


async def test_success_and_cancel_urls_are_refused_for_an_embedded_session(pages: PagesStand):
    answer = await create(
        pages,
        ui_mode="embedded_page",
        return_url=RETURN_URL,
        success_url=SUCCESS_URL,
        cancel_url=CANCEL_URL,
    )

    assert refusal(answer) == (
        400,
        "The following parameters are not supported with 'ui_mode: embedded_page': "
        "cancel_url, success_url.",
        "cancel_url",
    )
    assert pages.local.checkout_sessions() == []


async def test_a_return_url_is_refused_for_a_hosted_session(pages: PagesStand):
    answer = await create(pages, success_url=SUCCESS_URL, return_url=RETURN_URL)

    assert refusal(answer)[::2] == (400, "return_url")
    assert pages.local.checkout_sessions() == []


async def test_an_embedded_session_that_redirects_needs_a_return_url(pages: PagesStand):
    answer = await create(pages, ui_mode="embedded_page")

    assert refusal(answer) == (400, "Missing required param: return_url.", "return_url")
    assert answer.json()["error"]["code"] == "parameter_missing"


async def test_a_return_url_is_refused_when_the_session_never_redirects(pages: PagesStand):
    answer = await create(
        pages, ui_mode="embedded_page", return_url=RETURN_URL, redirect_on_completion="never"
    )

    assert refusal(answer)[::2] == (400, "return_url")


async def test_stripe_mock_still_validates_first_so_the_old_mode_name_is_refused(
    pages: PagesStand,
):
    answer = await create(pages, ui_mode="embedded", return_url=RETURN_URL)

    assert answer.status_code == 400
    assert "ui_mode" in answer.json()["error"]["message"]
    assert pages.local.checkout_sessions() == []


# -- the events -----------------------------------------------------------------------------

# What a session says of its UI, the same in its events as in the API's answers.
UI_FIELDS = (
    "ui_mode",
    "return_url",
    "redirect_on_completion",
    "client_secret",
    "success_url",
    "cancel_url",
)


def completed_session(events: list[Any]) -> dict[str, Any]:
    [event] = [event for event in events if event["type"] == "checkout.session.completed"]
    session: dict[str, Any] = event["data"]["object"]
    return session


async def test_the_completed_event_of_an_embedded_session_says_it_was_embedded(pages: PagesStand):
    created = await embedded(pages)
    pages.take_events()

    await pay_in_frame(pages, created["client_secret"], SUCCESS_CARD)

    session = completed_session(pages.take_events())
    assert session["ui_mode"] == "embedded_page"
    assert session["return_url"] == RETURN_URL
    assert (session["success_url"], session["cancel_url"]) == (None, None)


async def test_the_completed_event_shows_the_session_as_the_api_does(pages: PagesStand):
    created = await embedded(pages)
    pages.take_events()
    await pay_in_frame(pages, created["client_secret"], SUCCESS_CARD)

    retrieved = await pages.browser.get(
        f"/v1/checkout/sessions/{created['id']}", headers=API_HEADERS
    )

    session = completed_session(pages.take_events())
    assert {name: session[name] for name in UI_FIELDS} == {
        name: retrieved.json()[name] for name in UI_FIELDS
    }


async def test_the_completed_event_of_a_hosted_session_says_it_was_on_stripes_page(
    pages: PagesStand,
):
    hosted = pages.checkout(await pages.customer())
    pages.take_events()

    await pages.pay(hosted)

    session = completed_session(pages.take_events())
    assert session["ui_mode"] == "hosted_page"
    assert (session["success_url"], session["return_url"]) == (hosted.success_url, None)
    assert (session["client_secret"], session["redirect_on_completion"]) == (None, None)


# -- the embedded page ----------------------------------------------------------------------


async def test_the_client_secret_opens_the_checkout_page_made_to_be_framed(pages: PagesStand):
    created = await embedded(pages)

    page = await pages.browser.get(f"/embedded-checkout/{created['client_secret']}")

    assert page.status_code == 200
    assert "Subscribe to Pro" in text_of(page.text)
    assert 'id="checkout-form"' in page.text
    assert "/embedded-frame.js" in page.text
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors http: https:" in policy
    assert "script-src 'self'" in policy


async def test_an_embedded_session_has_no_hosted_page(pages: PagesStand):
    created = await embedded(pages)

    page = await pages.browser.get(f"/checkout/{created['id']}")

    assert page.status_code == 404
    assert "has no page of its own" in text_of(page.text)


async def test_a_client_secret_the_account_never_gave_opens_nothing(pages: PagesStand):
    created = await embedded(pages)

    page = await pages.browser.get(f"/embedded-checkout/{created['id']}_secret_0000")

    assert page.status_code == 404


async def test_paying_in_the_frame_hands_the_return_url_with_the_session_id_to_the_app(
    pages: PagesStand,
):
    created = await embedded(pages)
    frame = f"/embedded-checkout/{created['client_secret']}"

    paid = await pay_in_frame(pages, created["client_secret"], SUCCESS_CARD)
    after = await pages.browser.get(frame)

    assert (paid.status_code, paid.headers["location"]) == (303, frame)
    [landing] = COMPLETE.findall(after.text)
    assert landing == RETURN_URL.replace("{CHECKOUT_SESSION_ID}", created["id"])
    assert 'target="_top"' in after.text
    assert session_of(pages, created).status == "complete"


async def test_the_frame_sends_the_webhooks_a_hosted_checkout_sends(pages: PagesStand):
    created = await embedded(pages)
    pages.take_events()
    await pay_in_frame(pages, created["client_secret"], SUCCESS_CARD)
    from_the_frame = event_types(pages.take_events())
    hosted = pages.checkout(await pages.customer())
    pages.take_events()

    await pages.pay(hosted)

    assert from_the_frame == event_types(pages.take_events())
    assert "checkout.session.completed" in from_the_frame


async def test_a_declined_card_is_shown_in_the_frame_and_changes_nothing(pages: PagesStand):
    created = await embedded(pages)
    pages.take_events()

    await pay_in_frame(pages, created["client_secret"], DECLINED_CARD)
    page = await pages.browser.get(f"/embedded-checkout/{created['client_secret']}")

    assert "Your card was declined." in text_of(page.text)
    assert session_of(pages, created).status == "open"
    assert pages.take_events() == []


async def test_a_session_that_never_redirects_leaves_the_app_on_its_page(pages: PagesStand):
    created = (await create(pages, ui_mode="embedded_page", redirect_on_completion="never")).json()

    await pay_in_frame(pages, created["client_secret"], SUCCESS_CARD)
    after = await pages.browser.get(f"/embedded-checkout/{created['client_secret']}")

    assert COMPLETE.findall(after.text) == [""]


async def test_the_stand_in_stripe_js_is_served_for_any_page_to_load(pages: PagesStand):
    script = await pages.browser.get(STRIPE_JS_PATH)

    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["access-control-allow-origin"] == "*"
    for name in ("window.Stripe", "createEmbeddedCheckoutPage", "initEmbeddedCheckout"):
        assert name in script.text


# -- through the service --------------------------------------------------------------------


def user_client(stand: Stand, user_id: str = "user-1") -> GraphQLClient:
    token = TokenMinter(stand.settings.jwt_secret).mint(user_id, email=f"{user_id}@example.com")
    return GraphQLClient(stand.http, f"{stand.service_url}/graphql", token)


async def test_the_service_gets_a_client_secret_for_an_embedded_checkout_offline(stand: Stand):
    client = user_client(stand)
    [basic] = [p for p in await AppUser(client).plans() if p["name"] == "Basic"]
    checkout = {"priceId": basic["priceId"], "uiMode": "EMBEDDED", "returnUrl": SERVICE_RETURN}

    data = await client.data("Embedded", EMBEDDED_CHECKOUT, {"input": checkout})

    session = data["createCheckoutSession"]
    assert session["url"] is None
    assert session["clientSecret"].startswith(f"{session['id']}_secret_")


async def test_an_embedded_checkout_paid_on_the_local_stripe_shows_the_plan_on_return(
    stand: Stand,
):
    client = user_client(stand)
    [basic] = [p for p in await AppUser(client).plans() if p["name"] == "Basic"]
    checkout = {"priceId": basic["priceId"], "uiMode": "EMBEDDED", "returnUrl": SERVICE_RETURN}
    session = (await client.data("Embedded", EMBEDDED_CHECKOUT, {"input": checkout}))[
        "createCheckoutSession"
    ]

    landing = await stand.local.complete_checkout(session["id"], CardInput(SUCCESS_CARD))
    viewer = await AppUser(client).confirm_checkout(session["id"])

    assert landing == SERVICE_RETURN.replace("{CHECKOUT_SESSION_ID}", session["id"])
    assert [row["planName"] for row in viewer["subscriptions"]] == ["Basic monthly"]
