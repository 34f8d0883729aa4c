"""What Stripe bills a customer for: subscriptions through their life, and one-time payments.

The engine changes the customer's graph and queues the events Stripe would send; the action
that drives it (a hosted page, or time passing) delivers them at the moment Stripe would.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.stripe_side import objects
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.invoicing import Invoicing
from simulator.stripe_side.state import InvoiceState, PaymentMethodState, SubscriptionState

PERIOD_DAYS = 30
TRIAL_WARNING_DAYS = 3


@dataclass(frozen=True, slots=True)
class OneTimePayment:
    """A Checkout payment: the payment intent that took the money and the invoice it settled."""

    intent_id: str
    invoice: InvoiceState


class BillingEngine:
    """The subscription of one Stripe customer and every charge Stripe makes them."""

    def __init__(self, context: CustomerContext, invoicing: Invoicing) -> None:
        self._context = context
        self._invoicing = invoicing

    @property
    def subscription(self) -> SubscriptionState:
        subscription = self._context.owner.subscription
        if subscription is None:
            raise RuntimeError(f"{self._context.ids.role} has no subscription")
        return subscription

    async def start_subscription(
        self,
        entry: CatalogPrice,
        quantity: int,
        *,
        trial_days: int | None,
        card: PaymentMethodState,
    ) -> SubscriptionState:
        """Subscribe to `entry`, charging its first invoice to `card` (nothing while on trial)."""
        context = self._context
        owner = context.owner
        now = context.clock.now
        subscription = SubscriptionState(
            id=context.ids.mint_named("sub", "subscription"),
            item_id=context.ids.mint("si", "subscription item"),
            price=entry,
            quantity=quantity,
            status="trialing" if trial_days else "incomplete",
            created=now,
            period_start=now,
            period_end=now + (trial_days or PERIOD_DAYS) * DAY,
            default_payment_method=card.id,
        )
        if trial_days:
            subscription.trial_start = subscription.created
            subscription.trial_end = subscription.period_end
        owner.subscription = subscription
        await context.api.call(
            "create the subscription",
            lambda v1: v1.subscriptions.create_async(
                {
                    "customer": owner.id,
                    "items": [{"price": entry.price_id, "quantity": quantity}],
                    "default_payment_method": card.id,
                    "metadata": {"user_id": owner.user_id},
                    **({"trial_period_days": trial_days} if trial_days else {}),
                }
            ),
        )
        context.announce_subscription("customer.subscription.created", subscription)
        amount = 0 if trial_days else None
        invoice = await self._invoicing.issue(
            entry, quantity, "subscription_create", subscription, amount=amount
        )
        await self._invoicing.pay(invoice)
        if not trial_days:
            subscription.status = "active" if invoice.status == "paid" else "incomplete"
            context.announce_subscription(
                "customer.subscription.updated", subscription, {"status": "incomplete"}
            )
        return subscription

    async def charge_once(
        self, entry: CatalogPrice, quantity: int, card: PaymentMethodState
    ) -> OneTimePayment:
        """Take a one-time payment with `card`, and issue the invoice it settled (the service
        asks Checkout for `invoice_creation`)."""
        context = self._context
        owner = context.owner
        amount = entry.unit_amount * quantity
        intent_id = context.ids.mint("pi", "payment intent")
        await context.api.call(
            "confirm the payment",
            lambda v1: v1.payment_intents.create_async(
                {
                    "amount": amount,
                    "currency": entry.currency,
                    "customer": owner.id,
                    "payment_method": card.id,
                    "confirm": True,
                }
            ),
        )
        context.outbox.emit(
            "payment_intent.succeeded",
            objects.payment_intent(
                intent_id=intent_id,
                owner=owner,
                amount=amount,
                currency=entry.currency,
                method=card.id,
                created=context.clock.now,
            ),
        )
        invoice = await self._invoicing.issue(entry, quantity, "manual", None, amount=amount)
        self._invoicing.mark_paid(invoice)
        return OneTimePayment(intent_id, invoice)

    async def cancel_now(self) -> None:
        context = self._context
        subscription = self.subscription
        await context.api.call(
            "cancel the subscription", lambda v1: v1.subscriptions.cancel_async(subscription.id)
        )
        subscription.status = "canceled"
        subscription.canceled_at = subscription.canceled_at or context.clock.now
        subscription.ended_at = context.clock.now
        context.announce_subscription("customer.subscription.deleted", subscription)

    async def cancel_at_period_end(self) -> None:
        context = self._context
        subscription = self.subscription
        await context.api.call(
            "cancel at period end",
            lambda v1: v1.subscriptions.update_async(
                subscription.id, {"cancel_at_period_end": True}
            ),
        )
        subscription.cancel_at_period_end = True
        subscription.canceled_at = context.clock.now
        context.announce_subscription(
            "customer.subscription.updated",
            subscription,
            {"cancel_at_period_end": False, "canceled_at": None},
        )

    async def switch_plan(self, entry: CatalogPrice, *, quantity: int) -> None:
        context = self._context
        subscription = self.subscription
        await context.api.call(
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
        context.announce_subscription("customer.subscription.updated", subscription, previous)

    async def set_subscription_card(self, card: PaymentMethodState) -> None:
        """A live subscription's own default card becomes `card` (a canceled one keeps its)."""
        context = self._context
        subscription = context.owner.subscription
        if subscription is None or subscription.status == "canceled":
            return
        await context.api.call(
            "update the subscription's card",
            lambda v1: v1.subscriptions.update_async(
                subscription.id, {"default_payment_method": card.id}
            ),
        )
        before = {"default_payment_method": subscription.default_payment_method}
        subscription.default_payment_method = card.id
        context.announce_subscription("customer.subscription.updated", subscription, before)

    async def retry_open_invoices(self) -> None:
        """Pay what is still open; a past-due subscription whose invoices all got paid recovers."""
        subscription = self._context.owner.subscription
        recovered = await self._invoicing.pay_open()
        if subscription is not None and subscription.status == "past_due" and recovered:
            subscription.status = "active"
            self._context.announce_subscription(
                "customer.subscription.updated", subscription, {"status": "past_due"}
            )

    async def end_period(self) -> None:
        """Time reaches the period end: cancel if asked to, otherwise renew and charge."""
        subscription = self.subscription
        self._context.clock.advance_to(subscription.period_end)
        if subscription.cancel_at_period_end:
            await self.cancel_now()
            return
        await self._renew("subscription_cycle")

    def warn_trial_ending(self) -> None:
        """The trial warning, three days before the trial ends."""
        subscription = self.subscription
        trial_end = self._trial_end(subscription)
        self._context.clock.advance_to(trial_end - TRIAL_WARNING_DAYS * DAY)
        self._context.announce_subscription("customer.subscription.trial_will_end", subscription)

    async def end_trial(self) -> None:
        """The trial ends: the first paid period begins."""
        subscription = self.subscription
        self._context.clock.advance_to(self._trial_end(subscription))
        await self._renew("subscription_cycle")

    @staticmethod
    def _trial_end(subscription: SubscriptionState) -> int:
        if subscription.trial_end is None:
            raise RuntimeError("the subscription has no trial")
        return subscription.trial_end

    async def _renew(self, reason: str) -> None:
        context = self._context
        subscription = self.subscription
        before = {"status": subscription.status}
        subscription.period_start = context.clock.now
        subscription.period_end = context.clock.now + PERIOD_DAYS * DAY
        invoice = await self._invoicing.issue(
            subscription.price, subscription.quantity, reason, subscription
        )
        await self._invoicing.pay(invoice)
        subscription.status = "active" if invoice.status == "paid" else "past_due"
        context.announce_subscription("customer.subscription.updated", subscription, before)
