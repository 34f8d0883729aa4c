"""The demo's success page: back from Checkout with the session's id, the page confirms it, so
the plan shows before Stripe's webhooks arrive, and a session it cannot confirm is explained in
a sentence while the rest of the page works on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Locator, Page, expect

from services.checkout_confirmation import OPEN
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.browser.screens import SUCCESS_CARD, DemoApp, HostedCheckout
from tests.browser.stand import Stand, running_stand
from tests.local_stripe.webhook_gate import WebhookGate, serving_gate

NOT_CONFIRMED = "We could not confirm that purchase here."


@pytest.fixture
async def gated_stand(
    stripe_mock: StripeMockServer, database: str
) -> AsyncIterator[tuple[Stand, WebhookGate]]:
    """The stack with a gate on its webhooks, open until a test closes it."""
    async with (
        serving_gate() as (gate, through_the_gate),
        running_stand(stripe_mock.url, database, webhooks_to=through_the_gate) as stand,
    ):
        yield stand, gate


def flash(page: Page) -> Locator:
    return page.locator("#flash")


async def works_on_without_a_plan(app: DemoApp) -> None:
    """The page after a refusal: the account read as it is, the plans there to subscribe to."""
    await expect(app.no_subscription).to_be_visible()
    await expect(app.subscribe_button("Pro")).to_be_enabled()


async def returned_to(page: Page, stand: Stand, session_id: str) -> DemoApp:
    """Ada, signed in, lands on the success URL Checkout sends her back to."""
    app = DemoApp(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")
    await page.goto(f"{stand.demo_url}?checkout=success&session={session_id}")
    await expect(page.locator("#pricing article.plan").first).to_be_visible()
    return app


async def test_the_plan_shows_on_return_from_checkout_before_any_webhook_arrives(
    page: Page, gated_stand: tuple[Stand, WebhookGate]
) -> None:
    stand, gate = gated_stand
    app, checkout = DemoApp(page), HostedCheckout(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")
    gate.close()

    await app.subscribe("Pro")
    await checkout.fill_card(SUCCESS_CARD)
    await checkout.pay()

    await page.wait_for_url(f"{stand.demo_url}**")
    await expect(flash(page)).to_have_text("Checkout complete: you are on Pro monthly.")
    await expect(app.subscription).to_contain_text("Pro")
    await expect(app.subscription.locator(".status")).to_have_text("active")
    assert [delivery for delivery in gate.kept if delivery.event_type.startswith("checkout.")]


async def test_the_address_forgets_the_session_so_a_reload_does_not_confirm_it_again(
    page: Page, stand: Stand
) -> None:
    await returned_to(page, stand, await stand.start_checkout("ada", "pro"))

    await expect(page).to_have_url(stand.demo_url)


async def test_a_session_not_paid_yet_is_explained_with_the_services_reason(
    page: Page, stand: Stand
) -> None:
    session_id = await stand.start_checkout("ada", "pro")

    app = await returned_to(page, stand, session_id)

    await expect(flash(page)).to_have_text(OPEN)
    await works_on_without_a_plan(app)


async def test_a_session_the_service_cannot_find_is_explained_and_the_page_works_on(
    page: Page, stand: Stand
) -> None:
    app = await returned_to(page, stand, "cs_test_nobody_has_this_one")

    await expect(flash(page)).to_contain_text(NOT_CONFIRMED)
    await works_on_without_a_plan(app)


async def test_a_visitor_who_is_not_signed_in_is_asked_to_sign_in_rather_than_confirmed(
    page: Page, stand: Stand
) -> None:
    session_id = await stand.start_checkout("ada", "pro")

    await page.goto(f"{stand.demo_url}?checkout=success&session={session_id}")

    await expect(flash(page)).to_contain_text("Sign in as the user who paid")
    await expect(page.locator("#pricing article.plan").first).to_be_visible()
