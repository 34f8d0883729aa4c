"""Stripe's hosted pages: Checkout (pay or walk away) and one visit to the Customer Portal.

They act on a `CustomerAccount` through its underscore helpers: the account and its pages are
one component, split only to keep each file about one thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.stripe_side import objects
from simulator.stripe_side.catalog import Card, CatalogPrice
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.state import SubscriptionState

if TYPE_CHECKING:
    from simulator.stripe_side.side import CustomerAccount

PERIOD_DAYS = 30


@dataclass(frozen=True)
class CheckoutPage:
    """Stripe's hosted Checkout page for one session: the customer pays, or walks away."""

    account: CustomerAccount
    session_id: str
    entry: CatalogPrice
    quantity: int
    trial_days: int | None
    success_url: str
    cancel_url: str

    def _session(self, status: str, **links: str | None) -> dict[str, Any]:
        return objects.checkout_session(
            session_id=self.session_id,
            owner=self.account._owner(),
            entry=self.entry,
            quantity=self.quantity,
            created=self.account.clock.now,
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
        account = self.account
        await account.side.api.call(
            "expire the checkout session",
            lambda v1: v1.checkout.sessions.expire_async(self.session_id),
        )
        account.emit("checkout.session.expired", self._session("expired"))
        await account.flush()
        return self.cancel_url

    async def _subscribe(self, card: Card) -> None:
        account = self.account
        owner = account._owner()
        method = await account._add_card(card, attach=True)
        await account._make_default(method)
        subscription = SubscriptionState(
            id=account.roles.name(
                account.mint("sub", "subscription"), f"{account.role}'s subscription"
            ),
            item_id=account.mint("si", "subscription item"),
            price=self.entry,
            quantity=self.quantity,
            status="trialing" if self.trial_days else "incomplete",
            created=account.clock.now,
            period_start=account.clock.now,
            period_end=account.clock.now + (self.trial_days or PERIOD_DAYS) * DAY,
            default_payment_method=method.id,
        )
        if self.trial_days:
            subscription.trial_start = subscription.created
            subscription.trial_end = subscription.period_end
        owner.subscription = subscription
        await account.side.api.call(
            "create the subscription",
            lambda v1: v1.subscriptions.create_async(
                {
                    "customer": owner.id,
                    "items": [{"price": self.entry.price_id, "quantity": self.quantity}],
                    "default_payment_method": method.id,
                    "metadata": {"user_id": owner.user_id},
                    **({"trial_period_days": self.trial_days} if self.trial_days else {}),
                }
            ),
        )
        account._emit_subscription("customer.subscription.created")
        amount = 0 if self.trial_days else None
        invoice = await account._issue(
            self.entry, self.quantity, "subscription_create", subscription, amount=amount
        )
        await account._pay(invoice)
        if not self.trial_days:
            subscription.status = "active" if invoice.status == "paid" else "incomplete"
            account._emit_subscription("customer.subscription.updated", {"status": "incomplete"})
        account.emit(
            "checkout.session.completed", self._session("complete", subscription_id=subscription.id)
        )
        await account.flush()

    async def _buy_once(self, card: Card) -> None:
        account = self.account
        owner = account._owner()
        method = await account._add_card(card, attach=False)
        amount = self.entry.unit_amount * self.quantity
        intent_id = account.mint("pi", "payment intent")
        await account.side.api.call(
            "confirm the payment",
            lambda v1: v1.payment_intents.create_async(
                {
                    "amount": amount,
                    "currency": self.entry.currency,
                    "customer": owner.id,
                    "payment_method": method.id,
                    "confirm": True,
                }
            ),
        )
        account.emit(
            "payment_intent.succeeded",
            objects.payment_intent(
                intent_id=intent_id,
                owner=owner,
                amount=amount,
                currency=self.entry.currency,
                method=method.id,
                created=account.clock.now,
            ),
        )
        # The service asks for `invoice_creation`: Stripe issues the invoice the payment settled.
        invoice = await account._issue(self.entry, self.quantity, "manual", None, amount=amount)
        account._mark_paid(invoice)
        account.emit(
            "checkout.session.completed",
            self._session("complete", payment_intent_id=intent_id, invoice_id=invoice.id),
        )
        await account.flush()


@dataclass(frozen=True)
class PortalVisit:
    """One visit to the Customer Portal; each action is what the portal's buttons do."""

    account: CustomerAccount
    return_url: str

    async def cancel(self, *, at_period_end: bool) -> None:
        account = self.account
        subscription = account._subscription()
        if not at_period_end:
            await account._cancel_now()
            return
        await account.side.api.call(
            "cancel at period end",
            lambda v1: v1.subscriptions.update_async(
                subscription.id, {"cancel_at_period_end": True}
            ),
        )
        subscription.cancel_at_period_end = True
        subscription.canceled_at = account.clock.now
        account._emit_subscription(
            "customer.subscription.updated", {"cancel_at_period_end": False, "canceled_at": None}
        )
        await account.flush()

    async def switch_plan(self, entry: CatalogPrice, *, quantity: int) -> None:
        account = self.account
        subscription = account._subscription()
        await account.side.api.call(
            "switch the plan",
            lambda v1: v1.subscriptions.update_async(
                subscription.id,
                {
                    "items": [
                        {"id": subscription.item_id, "price": entry.price_id, "quantity": quantity}
                    ],
                    "proration_behavior": "create_prorations",
                },
            ),
        )
        previous = {"items": {"data": [{"price": {"id": subscription.price.price_id}}]}}
        subscription.price = entry
        subscription.quantity = quantity
        account._emit_subscription("customer.subscription.updated", previous)
        await account.flush()

    async def update_card(self, card: Card) -> None:
        """New default card; the old one is detached, and an unpaid invoice is paid with it."""
        account = self.account
        owner = account._owner()
        old = owner.payment_methods.get(owner.default_payment_method or "")
        method = await account._add_card(card, attach=True)
        await account._make_default(method)
        subscription = owner.subscription
        if subscription is not None and subscription.status != "canceled":
            await account.side.api.call(
                "update the subscription's card",
                lambda v1: v1.subscriptions.update_async(
                    subscription.id, {"default_payment_method": method.id}
                ),
            )
            before = {"default_payment_method": subscription.default_payment_method}
            subscription.default_payment_method = method.id
            account._emit_subscription("customer.subscription.updated", before)
        if old is not None:
            await account.side.api.call(
                "detach the old card",
                lambda v1: v1.payment_methods.detach_async(old.id),
            )
            old.customer_id = None
            account.emit(
                "payment_method.detached", objects.payment_method(old), {"customer": owner.id}
            )
        await self._settle_open_invoice()
        await account.flush()

    async def _settle_open_invoice(self) -> None:
        account = self.account
        subscription = account.customer.subscription if account.customer else None
        unpaid = [i for i in account._owner().invoices if i.status == "open"]
        for invoice in unpaid:
            await account._pay(invoice)
        recovered = unpaid and all(invoice.status == "paid" for invoice in unpaid)
        if subscription is not None and subscription.status == "past_due" and recovered:
            subscription.status = "active"
            account._emit_subscription("customer.subscription.updated", {"status": "past_due"})

    def leave(self) -> str:
        """The portal's "Return" link: where Stripe sends the browser back."""
        return self.return_url
