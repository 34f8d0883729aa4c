"""What every part of one simulated Stripe customer works with, and how it announces changes.

The wallet, the billing engine and the hosted pages each change part of one customer's object
graph; they share this context so that each change is checked by the same stripe-mock, stamped
by the same clock and announced through the same outbox, rendered from the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.stripe_side import entitlements, objects
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.state import (
    CustomerState,
    InvoiceState,
    PaymentMethodState,
    SubscriptionState,
)

Previous = dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class CustomerContext:
    """One Stripe customer's object graph (`owner`) and the tools that act on it."""

    api: StripeApi
    clock: SimClock
    ids: IdMint
    outbox: EventOutbox
    owner: CustomerState

    @property
    def subscription(self) -> SubscriptionState:
        """The customer's subscription; acting on one they do not have is a script's mistake."""
        if self.owner.subscription is None:
            raise RuntimeError(f"{self.ids.role} has no subscription")
        return self.owner.subscription

    def find(self, object_id: str) -> objects.StripeObject | None:
        """The customer, or an object of their graph, by id, rendered as it is now; None when
        the graph holds no such object (what an API request that expands it shows)."""
        owner = self.owner
        if object_id == owner.id:
            return objects.customer(owner)
        subscriptions = [*owner.past_subscriptions, owner.subscription]
        for subscription in subscriptions:
            if subscription is not None and subscription.id == object_id:
                return objects.subscription(subscription, owner)
        for invoice in owner.invoices:
            if invoice.id == object_id:
                return objects.invoice(invoice, owner)
        method = owner.payment_methods.get(object_id)
        if method is not None:
            return objects.payment_method(method)
        for payment in owner.payments:
            if payment.intent_id == object_id:
                return objects.payment_intent(payment, owner)
        return None

    def announce_customer(self, event_type: str, previous: Previous = None) -> None:
        self.outbox.emit(event_type, objects.customer(self.owner), previous)

    def announce_subscription(
        self, event_type: str, subscription: SubscriptionState, previous: Previous = None
    ) -> None:
        self.outbox.emit(event_type, objects.subscription(subscription, self.owner), previous)
        entitlements.announce_if_changed(self.outbox, self.owner)

    def snapshot_subscription(self) -> objects.StripeObject:
        """The subscription as rendered now, to compare a later state with."""
        return objects.subscription(self.subscription, self.owner)

    def announce_subscription_change(self, before: objects.StripeObject) -> None:
        """One `customer.subscription.updated` whose `previous_attributes` name what changed
        since the `before` snapshot."""
        after = self.snapshot_subscription()
        previous = objects.previous_attributes(before, after)
        self.outbox.emit("customer.subscription.updated", after, previous)
        entitlements.announce_if_changed(self.outbox, self.owner)

    def render_subscription(self, subscription: SubscriptionState) -> objects.StripeObject:
        """The subscription as events show it now: take one before changing it, for
        `announce_subscription_update`."""
        return objects.subscription(subscription, self.owner)

    def announce_subscription_update(
        self, subscription: SubscriptionState, before: objects.StripeObject
    ) -> None:
        """One `customer.subscription.updated` whose `previous_attributes` name what changed
        since `before` was rendered."""
        previous = objects.previous_attributes(before, self.render_subscription(subscription))
        self.announce_subscription("customer.subscription.updated", subscription, previous)

    def announce_invoice(self, event_type: str, invoice: InvoiceState) -> str:
        return self.outbox.emit(event_type, objects.invoice(invoice, self.owner))

    def announce_payment_method(
        self, event_type: str, method: PaymentMethodState, previous: Previous = None
    ) -> None:
        self.outbox.emit(event_type, objects.payment_method(method), previous)
