"""Managing the subscription from the demo's Customer Portal block (the one the demo saves on
its first visit) through the local Stripe's Customer Portal, and back to the block's Redirect
URL."""

from __future__ import annotations

from playwright.async_api import Page, expect

from simulator.stripe_side.state import SubscriptionState
from tests.browser.screens import DemoApp, HostedPortal, day
from tests.browser.stand import Stand


def only_subscription(stand: Stand) -> SubscriptionState:
    [(subscription, _)] = stand.local.subscriptions()
    return subscription


async def signed_in(page: Page, stand: Stand) -> DemoApp:
    app = DemoApp(page)
    await app.open(stand.demo_url)
    await app.sign_in("ada")
    return app


async def test_cancelling_returns_to_the_block_redirect_url_where_the_app_shows_the_end_date(
    page: Page, stand: Stand
) -> None:
    await stand.subscribe("ada", "pro")
    app, portal = await signed_in(page, stand), HostedPortal(page)

    await app.manage_billing()
    await portal.cancel_plan()
    await portal.return_to_app()

    await page.wait_for_url(stand.demo_url)
    ends = day(only_subscription(stand).period_end)
    await expect(app.subscription.locator(".ends")).to_have_text(f"Ends on {ends}")


async def test_renewing_a_cancelled_plan_brings_back_its_renewal_date(
    page: Page, stand: Stand
) -> None:
    await stand.subscribe("ada", "pro")
    await stand.cancel_at_period_end("ada")
    app, portal = await signed_in(page, stand), HostedPortal(page)
    await expect(app.subscription.locator(".ends")).to_be_visible()

    await app.manage_billing()
    await portal.renew_plan()
    await portal.return_to_app()

    renews = day(only_subscription(stand).period_end)
    await expect(app.subscription.locator(".renews")).to_have_text(f"Renews on {renews}")


async def test_switching_plan_shows_the_new_plan_in_the_app(page: Page, stand: Stand) -> None:
    await stand.subscribe("ada", "basic")
    app, portal = await signed_in(page, stand), HostedPortal(page)
    await expect(app.subscription).to_contain_text("Basic")

    await app.manage_billing()
    await portal.switch_plan("Pro")
    await portal.return_to_app()

    await expect(app.subscription).to_contain_text("Pro")
    await expect(app.subscribe_button("Basic")).to_be_enabled()
