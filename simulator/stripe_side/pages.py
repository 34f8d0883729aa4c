"""Stripe's hosted pages: Checkout (pay or walk away) and one visit to the Customer Portal.

Each page action is what the page's buttons do: it drives the customer's wallet and billing
engine, then delivers the events Stripe sends when the customer is done on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.billing_modes import BillingMode
from simulator.stripe_side import objects
from simulator.stripe_side.billing import BillingEngine
from simulator.stripe_side.cancellation import Cancellations
from simulator.stripe_side.catalog import Card, CatalogPrice
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.checkout_ui import CheckoutUi
from simulator.stripe_side.completed_checkouts import CompletedCheckouts
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.portal_configurations import ACCOUNT_DEFAULT, PortalConfiguration
from simulator.stripe_side.settings import MissingPaymentMethod
from simulator.stripe_side.wallet import Wallet


@dataclass(frozen=True)
class CheckoutPage:
    """Checkout for one session, on Stripe's page or embedded in the app's (`ui`): the customer
    pays, or walks away."""

    context: CustomerContext
    wallet: Wallet
    billing: BillingEngine
    session_id: str
    entry: CatalogPrice
    quantity: int
    trial_days: int | None
    ui: CheckoutUi
    billing_mode: BillingMode
    # What the account's sessions sold, for the line-items request (checkout_line_items.py).
    line_items: CheckoutLineItems = field(default_factory=CheckoutLineItems)
    # The account's completed sessions, for the request that retrieves one
    # (completed_checkouts.py).
    completed: CompletedCheckouts = field(default_factory=CompletedCheckouts)

    def _session(self, status: str, **links: str | None) -> dict[str, Any]:
        return objects.checkout_session(
            session_id=self.session_id,
            owner=self.context.owner,
            entry=self.entry,
            quantity=self.quantity,
            created=self.context.clock.now,
            status=status,
            ui=self.ui,
            **links,
        )

    async def complete(self, card: Card) -> str:
        """Pay with `card`; returns where Stripe redirects the browser (the success URL; "" when
        an embedded page stays)."""
        # BEHAVIOUR: checkout.redirect-after-webhook (the URL comes back after the flush)
        item = objects.checkout_line_item(self.session_id, self.entry, self.quantity)
        self.line_items.record(self.session_id, [item])
        if self.entry.recurring:
            await self._subscribe(card)
        else:
            await self._buy_once(card)
        return self._landing()

    async def start_trial_without_card(self, missing_payment_method: MissingPaymentMethod) -> str:
        """Start the trial without typing a card, as Checkout allows for a session created with
        `payment_method_collection: "if_required"` and a trial; `missing_payment_method` is the
        session's `subscription_data.trial_settings.end_behavior`. Returns where Stripe
        redirects the browser, as `complete` does."""
        # BEHAVIOUR: checkout.subscription.trial-without-card
        if not (self.entry.recurring and self.trial_days):
            raise RuntimeError("Checkout asks for a card unless a subscription starts on trial")
        await self._subscribe(None, missing_payment_method)
        return self._landing()

    def _landing(self) -> str:
        return self.ui.landing(self.session_id) or ""

    async def abandon(self) -> str:
        """The customer leaves; the session expires. Returns the cancel URL they went back to
        ("" for an embedded session, which has none)."""
        # BEHAVIOUR: checkout.expired
        await self.context.api.call(
            "expire the checkout session",
            lambda v1: v1.checkout.sessions.expire_async(self.session_id),
        )
        self.context.outbox.emit("checkout.session.expired", self._session("expired"))
        await self.context.outbox.flush()
        return self.ui.cancel_url or ""

    async def _subscribe(
        self, card: Card | None, missing_payment_method: MissingPaymentMethod = "create_invoice"
    ) -> None:
        # BEHAVIOUR: checkout.subscription.events
        method = await self.wallet.add_card(card, attach=True) if card else None
        # BEHAVIOUR: checkout.subscription.card (the customer's invoice default stays unset)
        subscription = await self.billing.start_subscription(
            self.entry,
            self.quantity,
            trial_days=self.trial_days,
            card=method,
            billing_mode=self.billing_mode,
            missing_payment_method=missing_payment_method,
        )
        self._complete(subscription_id=subscription.id, invoice_id=subscription.latest_invoice)
        await self.context.outbox.flush()

    async def _buy_once(self, card: Card) -> None:
        method = await self.wallet.add_card(card, attach=False)
        payment = await self.billing.charge_once(self.entry, self.quantity, method)
        self._complete(payment_intent_id=payment.intent_id, invoice_id=payment.invoice.id)
        await self.context.outbox.flush()

    def _complete(self, **links: str | None) -> None:
        """The session is complete: Stripe announces it, and answers for it from now on."""
        completed = self._session("complete", **links)
        self.completed.record(completed, self.context.find)
        self.context.outbox.emit("checkout.session.completed", completed)


@dataclass(frozen=True)
class PortalVisit:
    """One visit to the Customer Portal; each action is what the portal's buttons do."""

    context: CustomerContext
    wallet: Wallet
    billing: BillingEngine
    cancellations: Cancellations
    return_url: str
    # What this visit's portal offers: the configuration its session was created with.
    configuration: PortalConfiguration = ACCOUNT_DEFAULT

    async def cancel(self, *, at_period_end: bool) -> None:
        self.configuration.check_cancel()
        if at_period_end:
            await self.cancellations.schedule_at_period_end()
        else:
            await self.cancellations.now()
        await self.context.outbox.flush()

    async def renew(self) -> None:
        """The portal's "Renew" on a subscription scheduled to cancel: it simply goes on."""
        await self.cancellations.renew()
        await self.context.outbox.flush()

    async def switch_plan(self, entry: CatalogPrice, *, quantity: int) -> None:
        """A new plan (and quantity), if the portal offers it, prorated as it is configured."""
        subscription = self.context.subscription
        self.configuration.check_update(
            price_now=subscription.price.price_id,
            price=entry.price_id,
            quantity_now=subscription.quantity,
            quantity=quantity,
        )
        # BEHAVIOUR: portal.switch-plan.prorations (the configuration's proration behaviour)
        await self.billing.switch_plan(
            entry, quantity=quantity, proration_behavior=self.configuration.proration_behavior
        )
        await self.context.outbox.flush()

    async def change_quantity(self, quantity: int) -> None:
        """The same plan, another quantity."""
        # BEHAVIOUR: portal.quantity-change
        await self.switch_plan(self.context.subscription.price, quantity=quantity)

    async def update_card(self, card: Card) -> None:
        """The new card becomes the customer's invoice default, and that is all Stripe promises:
        the subscription keeps its own card, and an open invoice waits for its next attempt."""
        # BEHAVIOUR: portal.card-update
        self.configuration.check_card_update()
        method = await self.wallet.add_card(card, attach=True)
        await self.wallet.make_default(method)
        await self.context.outbox.flush()

    def leave(self) -> str:
        """The portal's "Return" link: where Stripe sends the browser back."""
        return self.return_url
