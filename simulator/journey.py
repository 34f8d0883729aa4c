"""One customer's journey and the verbs scenario scripts are written in.

Each verb is what a person does in the host app (an SPA talking GraphQL) and on Stripe's hosted
pages (the Stripe side); the checks a browser would notice (the plan is listed, Stripe sends them
back to the right page) fail the step with a sentence saying what went wrong.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from simulator.app_users import AppUser
from simulator.naming import Roles
from simulator.stripe_side.catalog import CARDS, CatalogPrice
from simulator.stripe_side.checkout_ui import CheckoutUi
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.settings import MissingPaymentMethod

SUCCESS_URL = "https://localhost/billing/success?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://localhost/billing/canceled"


class StepFailed(Exception):
    """Something a real customer would notice went wrong; the message says what."""


@dataclass
class Journey:
    """Who is travelling: the app user (id, email, signed in), their Stripe customer, the block."""

    role: str
    user_id: str
    email: str
    user: AppUser
    stripe_customer: StripeCustomer
    catalog: dict[str, CatalogPrice]
    block_id: str
    redirect_url: str
    # The service's key of each access group the admin saved, to the name the scripts use.
    access_groups: Mapping[str, str] = field(default_factory=dict)
    # Stripe sends the browser back from Checkout before any of its webhooks, and the app
    # confirms the session on the success page (SimulationConfig.webhooks_after_return).
    webhooks_after_return: bool = False
    # What confirmCheckout showed on the latest success page, until the runner takes it.
    success_page: dict[str, Any] | None = None

    @property
    def roles(self) -> Roles:
        return self.stripe_customer.roles

    @property
    def subscription_id(self) -> str | None:
        return self.stripe_customer.subscription_id

    def take_success_page(self) -> dict[str, Any] | None:
        """The viewer confirmCheckout showed since the last call, if a success page was
        reached with webhooks after return."""
        shown, self.success_page = self.success_page, None
        return shown


Action = Callable[[Journey], Awaitable[None]]
PortalAction = Callable[[PortalVisit, Journey], Awaitable[None]]


def subscribe(
    plan: str, *, card: str = "visa", quantity: int = 1, trial_days: int | None = None
) -> Action:
    async def act(journey: Journey) -> None:
        page = await _checkout(journey, plan, quantity=quantity, trial_days=trial_days)
        await _pay(journey, page, card)

    return act


def buy_once(item: str, *, card: str = "visa") -> Action:
    async def act(journey: Journey) -> None:
        page = await _checkout(journey, item, quantity=1, trial_days=None, mode="PAYMENT")
        await _pay(journey, page, card)

    return act


def abandon_checkout(plan: str) -> Action:
    async def act(journey: Journey) -> None:
        page = await _checkout(journey, plan, quantity=1, trial_days=None)
        back = await page.abandon()
        if back != CANCEL_URL:
            raise StepFailed(f"Checkout sent the customer to {back}, expected {CANCEL_URL}")

    return act


def in_portal(
    flow: str | None, action: PortalAction, *, into_period: Fraction | None = None
) -> Action:
    """A visit to the portal a day later (or once `into_period` of the current period has gone
    by), opened from the block (on `flow`'s page, or on the portal's home page), ending back at
    the block's Redirect URL."""

    async def act(journey: Journey) -> None:
        if into_period is None:
            journey.stripe_customer.clock.advance_days(1)
        else:
            await journey.stripe_customer.reach_share_of_period(into_period)
        block = await journey.user.portal_block(journey.block_id)
        if block is None or block["redirectUrl"] != journey.redirect_url:
            raise StepFailed(f"portalBlock returned {block}, expected the saved block")
        session = await journey.user.create_portal_session(journey.block_id, flow)
        if session["returnUrl"] != journey.redirect_url:
            raise StepFailed(
                f"createPortalSession returned returnUrl {session['returnUrl']}, "
                f"expected the block's Redirect URL {journey.redirect_url}"
            )
        visit = await journey.stripe_customer.open_portal(session["id"], session["returnUrl"])
        await action(visit, journey)
        back = visit.leave()
        if back != journey.redirect_url:
            raise StepFailed(f"the portal returned to {back}, expected {journey.redirect_url}")

    return act


def cancel_in_portal(*, at_period_end: bool) -> Action:
    async def act(visit: PortalVisit, _: Journey) -> None:
        await visit.cancel(at_period_end=at_period_end)

    return in_portal("SUBSCRIPTION_CANCEL", act)


def renew_in_portal() -> Action:
    """The portal home page's "Renew", for a subscription scheduled to cancel."""

    async def act(visit: PortalVisit, _: Journey) -> None:
        await visit.renew()

    return in_portal(None, act)


def switch_plan_in_portal(
    plan: str, *, quantity: int = 1, into_period: Fraction | None = None
) -> Action:
    async def act(visit: PortalVisit, journey: Journey) -> None:
        await visit.switch_plan(journey.catalog[plan], quantity=quantity)

    return in_portal("SUBSCRIPTION_UPDATE", act, into_period=into_period)


def change_quantity_in_portal(quantity: int, *, into_period: Fraction | None = None) -> Action:
    async def act(visit: PortalVisit, _: Journey) -> None:
        await visit.change_quantity(quantity)

    return in_portal("SUBSCRIPTION_UPDATE", act, into_period=into_period)


def update_card_in_portal(card: str) -> Action:
    async def act(visit: PortalVisit, _: Journey) -> None:
        await visit.update_card(CARDS[card])

    return in_portal("PAYMENT_METHOD_UPDATE", act)


def start_trial_without_card(
    plan: str, *, trial_days: int, missing_payment_method: MissingPaymentMethod
) -> Action:
    """Starts a trial from Checkout without typing a card; when it ends without one, Stripe
    does what `missing_payment_method` says."""

    async def act(journey: Journey) -> None:
        page = await _checkout(journey, plan, quantity=1, trial_days=trial_days)
        await _return_from_checkout(
            journey, page, lambda: page.start_trial_without_card(missing_payment_method)
        )

    return act


async def billing_period_ends(journey: Journey) -> None:
    """The period ends and, about an hour later, Stripe charges the renewal."""
    await journey.stripe_customer.end_billing_period()


async def period_ends_with_a_draft_invoice(journey: Journey) -> None:
    """The period ends: the next one begins with a draft invoice, not charged yet."""
    await journey.stripe_customer.reach_period_end()


async def draft_hour_passes(journey: Journey) -> None:
    """About an hour after the draft, Stripe finalizes and charges it."""
    await journey.stripe_customer.collect_renewal()


async def payment_retry_fails(journey: Journey) -> None:
    """The next retry of the failed renewal comes due, on a card that still declines."""
    await journey.stripe_customer.retry_payment()


async def payment_retries_run_out(journey: Journey) -> None:
    """Every remaining retry comes due and fails; the account's final action follows."""
    await journey.stripe_customer.exhaust_payment_retries()


async def refunded_in_full(journey: Journey) -> None:
    """The merchant refunds the latest one-time purchase in full (in Stripe's Dashboard)."""
    await journey.stripe_customer.refund_purchase()


def days_pass(days: int) -> Action:
    """Time goes by with nothing happening in Stripe."""

    async def act(journey: Journey) -> None:
        await journey.stripe_customer.time_passes(days * DAY)

    return act


async def card_declined_at_renewal(journey: Journey) -> None:
    journey.stripe_customer.card_starts_declining()
    await journey.stripe_customer.end_billing_period()


async def trial_ends(journey: Journey) -> None:
    await journey.stripe_customer.end_trial()


async def _checkout(
    journey: Journey,
    plan: str,
    *,
    quantity: int,
    trial_days: int | None,
    mode: str = "SUBSCRIPTION",
) -> CheckoutPage:
    entry = journey.catalog[plan]
    await _require_listed(journey, entry)
    checkout_input: dict[str, Any] = {
        "priceId": entry.price_id,
        "quantity": quantity,
        "mode": mode,
        "successUrl": SUCCESS_URL,
        "cancelUrl": CANCEL_URL,
    }
    if trial_days:
        checkout_input["trialDays"] = trial_days
    session = await journey.user.create_checkout_session(checkout_input)
    customer_id = (await journey.user.viewer())["customerId"]
    if customer_id is None:
        raise StepFailed("viewer.customerId is still null after createCheckoutSession")
    await journey.stripe_customer.customer_created(customer_id, journey.user_id, journey.email)
    return await journey.stripe_customer.open_checkout(
        session["id"],
        entry,
        quantity=quantity,
        trial_days=trial_days,
        ui=CheckoutUi(success_url=SUCCESS_URL, cancel_url=CANCEL_URL),
    )


async def _require_listed(journey: Journey, entry: CatalogPrice) -> None:
    plans = await journey.user.plans()
    listed = next((plan for plan in plans if plan["priceId"] == entry.price_id), None)
    if listed is None:
        raise StepFailed(f"plans does not list {entry.nickname}, which the catalog published")
    shown = (listed["name"], listed["unitAmount"], listed["currency"], listed["interval"])
    published = (entry.product_name, entry.unit_amount, entry.currency, entry.interval)
    if shown != published:
        raise StepFailed(f"plans shows {entry.nickname} as {shown}, published as {published}")


async def _pay(journey: Journey, page: CheckoutPage, card: str) -> None:
    await _return_from_checkout(journey, page, lambda: page.complete(CARDS[card]))


async def _return_from_checkout(
    journey: Journey, page: CheckoutPage, finish: Callable[[], Awaitable[str]]
) -> None:
    """Finish on Checkout's page (`finish` returns where Stripe sends the browser) and land on
    the success page. Stripe delivers the webhooks first; with webhooks after return, the app
    confirms the session on the success page before any of them (the runner checks what it
    showed), and they follow."""
    if not journey.webhooks_after_return:
        _check_landing(page, await finish())
        return
    # BEHAVIOUR: checkout.redirect-before-webhooks
    with journey.stripe_customer.webhooks_held():
        landed = await finish()
    _check_landing(page, landed)
    journey.success_page = await journey.user.confirm_checkout(page.session_id)
    await journey.stripe_customer.deliver()


def _check_landing(page: CheckoutPage, landed: str) -> None:
    expected = SUCCESS_URL.replace("{CHECKOUT_SESSION_ID}", page.session_id)
    if landed != expected:
        raise StepFailed(f"Checkout sent the customer to {landed}, expected {expected}")
