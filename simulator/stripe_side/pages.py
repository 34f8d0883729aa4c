"""Stripe's hosted pages: Checkout (pay or walk away) and one visit to the Customer Portal.

Each page action is what the page's buttons do: it drives the customer's wallet and billing
engine, then delivers the events Stripe sends when the customer is done on the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.stripe_side import objects
from simulator.stripe_side.billing import BillingEngine
from simulator.stripe_side.catalog import Card, CatalogPrice
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.wallet import Wallet


@dataclass(frozen=True)
class CheckoutPage:
    """Stripe's hosted Checkout page for one session: the customer pays, or walks away."""

    context: CustomerContext
    wallet: Wallet
    billing: BillingEngine
    session_id: str
    entry: CatalogPrice
    quantity: int
    trial_days: int | None
    success_url: str
    cancel_url: str

    def _session(self, status: str, **links: str | None) -> dict[str, Any]:
        return objects.checkout_session(
            session_id=self.session_id,
            owner=self.context.owner,
            entry=self.entry,
            quantity=self.quantity,
            created=self.context.clock.now,
            status=status,
            success_url=self.success_url,
            cancel_url=self.cancel_url,
            **links,
        )

    async def complete(self, card: Card) -> str:
        """Pay with `card`; returns where Stripe redirects the browser (the success URL)."""
        if self.entry.recurring:
            await self._subscribe(card)
        else:
            await self._buy_once(card)
        return self.success_url.replace("{CHECKOUT_SESSION_ID}", self.session_id)

    async def abandon(self) -> str:
        """The customer leaves; the session expires. Returns the cancel URL they went back to."""
        await self.context.api.call(
            "expire the checkout session",
            lambda v1: v1.checkout.sessions.expire_async(self.session_id),
        )
        self.context.outbox.emit("checkout.session.expired", self._session("expired"))
        await self.context.outbox.flush()
        return self.cancel_url

    async def _subscribe(self, card: Card) -> None:
        method = await self.wallet.add_card(card, attach=True)
        await self.wallet.make_default(method)
        subscription = await self.billing.start_subscription(
            self.entry, self.quantity, trial_days=self.trial_days, card=method
        )
        self.context.outbox.emit(
            "checkout.session.completed", self._session("complete", subscription_id=subscription.id)
        )
        await self.context.outbox.flush()

    async def _buy_once(self, card: Card) -> None:
        method = await self.wallet.add_card(card, attach=False)
        payment = await self.billing.charge_once(self.entry, self.quantity, method)
        self.context.outbox.emit(
            "checkout.session.completed",
            self._session(
                "complete", payment_intent_id=payment.intent_id, invoice_id=payment.invoice.id
            ),
        )
        await self.context.outbox.flush()


@dataclass(frozen=True)
class PortalVisit:
    """One visit to the Customer Portal; each action is what the portal's buttons do."""

    context: CustomerContext
    wallet: Wallet
    billing: BillingEngine
    return_url: str

    async def cancel(self, *, at_period_end: bool) -> None:
        if at_period_end:
            await self.billing.cancel_at_period_end()
        else:
            await self.billing.cancel_now()
        await self.context.outbox.flush()

    async def switch_plan(self, entry: CatalogPrice, *, quantity: int) -> None:
        await self.billing.switch_plan(entry, quantity=quantity)
        await self.context.outbox.flush()

    async def update_card(self, card: Card) -> None:
        """New default card; the old one is detached, and an unpaid invoice is paid with it."""
        old = self.wallet.default_card()
        method = await self.wallet.add_card(card, attach=True)
        await self.wallet.make_default(method)
        await self.billing.set_subscription_card(method)
        if old is not None:
            await self.wallet.detach(old)
        await self.billing.retry_open_invoices()
        await self.context.outbox.flush()

    def leave(self) -> str:
        """The portal's "Return" link: where Stripe sends the browser back."""
        return self.return_url
