"""Subscribing from the demo's Pricing block through the local Stripe's Checkout page."""

from __future__ import annotations

from playwright.async_api import Page, expect

from tests.browser.screens import DECLINED_CARD, SUCCESS_CARD, DemoApp, HostedCheckout
from tests.browser.stand import Stand


async def test_paying_with_the_success_card_brings_the_user_back_to_an_active_plan(
    page: Page, stand: Stand
) -> None:
    app, checkout = DemoApp(page), HostedCheckout(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")

    await app.subscribe("Pro")
    await checkout.fill_card(SUCCESS_CARD)
    await checkout.pay()

    await page.wait_for_url(f"{stand.demo_url}**")
    await expect(app.subscription).to_contain_text("Pro")
    await expect(app.subscription.locator(".status")).to_have_text("xactive")
    await expect(app.subscription.locator(".renews")).to_contain_text("Renews on")
    await expect(page.locator("#card")).to_contain_text("4242")


async def _unused_card_is_shown_on_checkout_and_changes_nothing(
    page: Page, stand: Stand
) -> None:
    app, checkout = DemoApp(page), HostedCheckout(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")
    await app.subscribe("Pro")

    await checkout.fill_card(DECLINED_CARD)
    await checkout.pay()

    await expect(checkout.card_number_error).to_have_text("Your card was declined.")
    assert "/checkout/" in page.url
    assert [sub for sub, _ in stand.local.subscriptions()] == []
    await checkout.go_back()
    await expect(app.no_subscription).to_be_visible()
    await expect(app.subscribe_button("Pro")).to_be_enabled()
