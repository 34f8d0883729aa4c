"""What Stripe bills a customer for: subscriptions through their life, and one-time payments.

The engine changes the customer's graph and queues the events Stripe would send; the action
that drives it (a hosted page, or time passing) delivers them at the moment Stripe would.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.billing_modes import BillingMode
from simulator.stripe_side import objects
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.invoicing import Invoicing
from simulator.stripe_side.payments import Payments
from simulator.stripe_side.portal_configurations import ProrationBehavior
from simulator.stripe_side.prorations import PriceChange
from simulator.stripe_side.settings import MissingPaymentMethod
from simulator.stripe_side.state import InvoiceState, PaymentMethodState, SubscriptionState

PERIOD_DAYS = 30
TRIAL_WARNING_DAYS = 3


def trial_warning_at(subscription: SubscriptionState) -> int:
    """When Stripe warns that the trial ends: three days before, or as it starts if shorter."""
    # BEHAVIOUR: trial.will-end
    if subscription.trial_end is None:
        raise RuntimeError("the subscription has no trial")
    return max(subscription.created, subscription.trial_end - TRIAL_WARNING_DAYS * DAY)


@dataclass(frozen=True, slots=True)
class OneTimePayment:
    """A Checkout payment: the payment intent that took the money and the invoice it settled."""

    intent_id: str
    invoice: InvoiceState


class BillingEngine:
    """The subscription of one Stripe customer and every charge Stripe makes them."""

    def __init__(
        self,
        context: CustomerContext,
        invoicing: Invoicing,
        payments: Payments,
    ) -> None:
        self._context = context
        self._invoicing = invoicing
        self._payments = payments

    @property
    def subscription(self) -> SubscriptionState:
        return self._context.subscription

    async def start_subscription(
        self,
        entry: CatalogPrice,
        quantity: int,
        *,
        trial_days: int | None,
        card: PaymentMethodState | None,
        billing_mode: BillingMode,
        missing_payment_method: MissingPaymentMethod = "create_invoice",
    ) -> SubscriptionState:
        """Subscribe to `entry` in `billing_mode`, charging its first invoice to `card`, which
        becomes the subscription's own card (nothing is charged while on trial)."""
        context = self._context
        owner = context.owner
        now = context.clock.now
        if owner.subscription is not None:
            owner.past_subscriptions.append(owner.subscription)
        # A customer's later subscriptions are numbered; the first keeps the plain name.
        later = len(owner.past_subscriptions)
        what = f"subscription {later + 1}" if later else "subscription"
        subscription = SubscriptionState(
            id=context.ids.mint_named("sub", what),
            item_id=context.ids.mint("si", f"{what} item"),
            price=entry,
            quantity=quantity,
            status="trialing" if trial_days else "incomplete",
            created=now,
            period_start=now,
            period_end=now + (trial_days or PERIOD_DAYS) * DAY,
            # BEHAVIOUR: checkout.subscription.card
            default_payment_method=card.id if card else None,
            billing_mode=billing_mode,
            missing_payment_method=missing_payment_method,
        )
        if trial_days:
            # BEHAVIOUR: checkout.subscription.trial
            subscription.trial_start = subscription.created
            subscription.trial_end = subscription.period_end
        owner.subscription = subscription
        await context.api.call(
            "create the subscription",
            lambda v1: v1.subscriptions.create_async(
                {
                    "customer": owner.id,
                    "items": [{"price": entry.price_id, "quantity": quantity}],
                    **({"default_payment_method": card.id} if card else {}),
                    "billing_mode": {"type": billing_mode},
                    "metadata": {"user_id": owner.user_id},
                    **(
                        {
                            "trial_period_days": trial_days,
                            "trial_settings": {
                                "end_behavior": {"missing_payment_method": missing_payment_method}
                            },
                        }
                        if trial_days
                        else {}
                    ),
                }
            ),
        )
        amount = 0 if trial_days else None
        invoice = await self._invoicing.issue(
            entry, quantity, "subscription_create", subscription, amount=amount
        )
        # Created with its first invoice, which the snapshot names; events are unordered anyway.
        context.announce_subscription("customer.subscription.created", subscription)
        if trial_days and trial_warning_at(subscription) == subscription.created:
            context.announce_subscription("customer.subscription.trial_will_end", subscription)
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
        # BEHAVIOUR: checkout.payment.events
        payment = self._payments.charge(
            amount, entry.currency, card, metadata={"user_id": owner.user_id}
        )
        if not payment.succeeded:
            raise RuntimeError("Checkout does not complete a payment the card declined")
        owner.one_time_payments.append(payment)
        # BEHAVIOUR: checkout.payment.invoice-creation
        invoice = await self._invoicing.issue(entry, quantity, "manual", None, amount=amount)
        self._invoicing.mark_paid(invoice, payment)
        return OneTimePayment(payment.intent_id, invoice)

    async def refund_latest_purchase(self) -> None:
        """The merchant refunds the customer's latest one-time payment in full."""
        purchases = self._context.owner.one_time_payments
        if not purchases:
            raise RuntimeError(f"{self._context.ids.role} bought nothing to refund")
        await self._payments.refund_in_full(purchases[-1])

    async def switch_plan(
        self, entry: CatalogPrice, *, quantity: int, proration_behavior: ProrationBehavior
    ) -> None:
        """The subscription's item moves to `quantity` of `entry` now (a new price, a new
        quantity, or both), prorated as `proration_behavior` says."""
        # BEHAVIOUR: portal.switch-plan.prorations
        # BEHAVIOUR: portal.quantity-change
        context = self._context
        owner = context.owner
        subscription = self.subscription
        await context.api.call(
            "update the subscription's item",
            lambda v1: v1.subscriptions.update_async(
                subscription.id,
                {
                    "items": [
                        {"id": subscription.item_id, "price": entry.price_id, "quantity": quantity}
                    ],
                    "proration_behavior": proration_behavior,
                },
            ),
        )
        before = context.snapshot_subscription()
        change = PriceChange(subscription, entry, quantity, context.clock.now)
        serial = len(owner.invoice_items) // 2 + 1
        items = change.proration_items(context.ids, serial) if proration_behavior != "none" else ()
        subscription.price, subscription.quantity = entry, quantity
        if items:
            subscription.debited = (entry, quantity)
        owner.invoice_items.extend(items)
        for item in items:
            context.outbox.emit("invoiceitem.created", objects.invoice_item(item, owner))
        invoice = None
        if proration_behavior == "always_invoice" and items:
            invoice = await self._invoicing.issue(
                entry, quantity, "subscription_update", subscription, period_line=False
            )
        context.announce_subscription_change(before)
        if invoice is not None:
            await self._invoicing.pay(invoice)
