"""What a person sees and does on each screen of the journey, by the hooks each screen keeps
stable (ids and accessible names, not layout), so the tests read as the person's steps.

The demo app (the Softr blocks at /demo/), then the local Stripe's hosted Checkout and Customer
Portal pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from playwright.async_api import Locator, Page, expect

# Stripe's documented test cards, as a person types them.
SUCCESS_CARD = "4242 4242 4242 4242"
DECLINED_CARD = "4000 0000 0000 0002"
FUTURE_EXPIRY = "12 / 34"
ANY_CVC = "123"


async def tab_to(target: Locator, *, most_presses: int = 60) -> None:
    """Press Tab until `target` has the keyboard focus, as a keyboard user moves through a page;
    fails if it never gets there (not focusable, or out of the tab order)."""
    for _ in range(most_presses):
        if await target.evaluate("element => element === document.activeElement"):
            return
        await target.page.keyboard.press("Tab")
    raise AssertionError(f"{target} never took the focus in {most_presses} presses of Tab")


async def overflow_width(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: nothing to scroll sideways)."""
    overflow: int = await page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def day(timestamp: int) -> str:
    """A date as the pages write it in the tests' browser (en-US, UTC): "Dec 31, 2026"."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment:%b} {moment.day}, {moment.year}"


@dataclass(frozen=True)
class DemoApp:
    """The host app: sign-in, the Pricing block, the Customer Portal block, the account."""

    page: Page

    async def open(self, url: str) -> None:
        await self.page.goto(url)
        await expect(self.page.locator("#pricing article.plan").first).to_be_visible()

    async def sign_in(self, user: str) -> None:
        """`user` is a demo user's id ("ada")."""
        await self.page.locator("#demo-user").select_option(user)
        await self.page.locator("#sign-in").get_by_role("button").click()
        await expect(self.page.locator("#account")).to_be_visible()

    def subscribe_button(self, plan: str) -> Locator:
        return self.page.locator("#pricing").get_by_role("button", name=f"Subscribe to {plan}")

    async def subscribe(self, plan: str) -> None:
        await self.subscribe_button(plan).click()
        await self.page.wait_for_url(re.compile(r"/checkout/"))

    async def manage_billing(self) -> None:
        await (
            self.page.locator("#portal-block").get_by_role("button", name="Manage billing").click()
        )
        await self.page.wait_for_url(re.compile(r"/portal/"))

    @property
    def subscription(self) -> Locator:
        """The account's live subscription (the app shows at most one in these journeys)."""
        return self.page.locator("#account ul.subscriptions").first.locator("li.subscription")

    @property
    def no_subscription(self) -> Locator:
        return self.page.locator("#account").get_by_text("No active subscription.")


@dataclass(frozen=True)
class HostedCheckout:
    """The local Stripe's Checkout page for one session."""

    page: Page

    async def fill_card(self, number: str, *, name: str = "Ada Lovelace") -> None:
        await self.page.locator("#number").fill(number)
        await self.page.locator("#expiry").fill(FUTURE_EXPIRY)
        await self.page.locator("#cvc").fill(ANY_CVC)
        await self.page.locator("#name").fill(name)

    async def pay(self) -> None:
        await self.page.locator("#pay").click()

    @property
    def card_number_error(self) -> Locator:
        return self.page.locator("#number-error")

    async def go_back(self) -> None:
        await self.page.locator("#back").click()


@dataclass(frozen=True)
class HostedPortal:
    """The local Stripe's Customer Portal, from its overview."""

    page: Page

    @property
    def plan_name(self) -> Locator:
        return self.page.locator("#current-plan .plan-name")

    @property
    def ends(self) -> Locator:
        return self.page.locator("#current-plan #ends")

    @property
    def renews(self) -> Locator:
        return self.page.locator("#current-plan #renews")

    async def cancel_plan(self) -> None:
        await self.page.locator("#cancel-plan").click()
        await self.page.locator("#confirm-cancel").click()
        await expect(self.ends).to_be_visible()

    async def renew_plan(self) -> None:
        await self.page.locator("#renew-form").get_by_role("button", name="Renew plan").click()
        await expect(self.renews).to_be_visible()

    async def switch_plan(self, plan: str) -> None:
        await self.page.locator("#update-plan").click()
        await self.page.locator("#update-form").get_by_label(plan).check()
        await self.page.locator("#confirm-update").click()
        await expect(self.plan_name).to_contain_text(plan)

    async def return_to_app(self) -> None:
        await self.page.locator("#return-link").click()
