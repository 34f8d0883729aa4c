"""Embedded Checkout in a real browser: the demo's Pricing block, with "Pay on this page", mounts
the local Stripe's Checkout in a frame through the stand-in Stripe.js; paying there sends the
whole page to the return URL, where the plan shows."""

from __future__ import annotations

from playwright.async_api import FrameLocator, Page, expect

from tests.browser.screens import ANY_CVC, DECLINED_CARD, FUTURE_EXPIRY, SUCCESS_CARD, DemoApp
from tests.browser.stand import Stand


def checkout_frame(page: Page) -> FrameLocator:
    return page.frame_locator("#embedded-checkout iframe")


async def pay_on_this_page(page: Page, stand: Stand, plan: str) -> FrameLocator:
    """Ada, signed in, ticks "Pay on this page" and subscribes to `plan`: the frame is mounted."""
    app = DemoApp(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")
    await page.get_by_label("Pay on this page (embedded Checkout)").check()
    await app.subscribe_button(plan).click()
    frame = checkout_frame(page)
    await expect(frame.get_by_role("heading", name=f"Subscribe to {plan}")).to_be_visible()
    return frame


async def fill_card(frame: FrameLocator, number: str) -> None:
    await frame.locator("#number").fill(number)
    await frame.locator("#expiry").fill(FUTURE_EXPIRY)
    await frame.locator("#cvc").fill(ANY_CVC)
    await frame.locator("#name").fill("Ada Lovelace")


async def test_paying_in_the_embedded_form_returns_the_page_to_an_active_plan(
    page: Page, stand: Stand
) -> None:
    frame = await pay_on_this_page(page, stand, "Pro")
    assert page.url == stand.demo_url

    await fill_card(frame, SUCCESS_CARD)
    await frame.locator("#pay").click()

    app = DemoApp(page)
    await expect(page.locator("#flash")).to_have_text("Checkout complete: you are on Pro monthly.")
    await expect(page).to_have_url(stand.demo_url)
    await expect(app.subscription).to_contain_text("Pro")
    await expect(app.subscription.locator(".status")).to_have_text("active")
    await expect(page.locator("#embedded-checkout")).to_be_hidden()


async def test_a_declined_card_is_shown_in_the_frame_and_the_app_stays(
    page: Page, stand: Stand
) -> None:
    frame = await pay_on_this_page(page, stand, "Pro")

    await fill_card(frame, DECLINED_CARD)
    await frame.locator("#pay").click()

    await expect(frame.locator("#number-error")).to_have_text("Your card was declined.")
    assert page.url == stand.demo_url
    assert [subscription for subscription, _ in stand.local.subscriptions()] == []
    await page.locator("#embedded-checkout").get_by_role("button", name="Close Checkout").click()
    await expect(page.locator("#embedded-checkout")).to_be_hidden()
