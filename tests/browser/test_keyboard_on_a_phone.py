"""A person on a phone-wide screen, with a keyboard only, subscribes from the demo through
Checkout: every control is reachable with Tab, and no page scrolls sideways."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Page, ViewportSize, expect

from tests.browser.screens import (
    ANY_CVC,
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    DemoApp,
    overflow_width,
    tab_to,
)
from tests.browser.stand import Stand

PHONE_WIDTH = 390


@pytest.fixture
def viewport() -> ViewportSize:
    return {"width": PHONE_WIDTH, "height": 844}


async def test_checkout_completes_by_keyboard_alone_at_phone_width(
    page: Page, stand: Stand
) -> None:
    app = DemoApp(page)
    await app.open(stand.demo_url)
    assert await overflow_width(page) == 0

    # Ada is the first demo user: the sign-in form offers her already.
    await tab_to(page.locator("#sign-in").get_by_role("button"))
    await page.keyboard.press("Enter")
    await expect(page.locator("#account")).to_be_visible()
    await tab_to(app.subscribe_button("Pro"))
    await page.keyboard.press("Enter")

    await page.wait_for_url(re.compile(r"/checkout/"))
    assert await overflow_width(page) == 0
    for field, typed in (
        ("#number", SUCCESS_CARD),
        ("#expiry", FUTURE_EXPIRY),
        ("#cvc", ANY_CVC),
        ("#name", "Ada Lovelace"),
    ):
        await tab_to(page.locator(field))
        await page.keyboard.type(typed)
    await tab_to(page.locator("#pay"))
    await page.keyboard.press("Enter")

    await page.wait_for_url(f"{stand.demo_url}**")
    await expect(app.subscription.locator(".status")).to_have_text("active")
    assert await overflow_width(page) == 0
