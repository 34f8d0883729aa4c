"""What every part of one simulated Stripe customer works with, and how it announces changes.

The wallet, the billing engine and the hosted pages each change part of one customer's object
graph; they share this context so that each change is checked by the same stripe-mock, stamped
by the same clock and announced through the same outbox, rendered from the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator.stripe_side import objects
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

    def announce_customer(self, event_type: str, previous: Previous = None) -> None:
        self.outbox.emit(event_type, objects.customer(self.owner), previous)

    def announce_subscription(
        self, event_type: str, subscription: SubscriptionState, previous: Previous = None
    ) -> None:
        self.outbox.emit(event_type, objects.subscription(subscription, self.owner), previous)

    def announce_invoice(self, event_type: str, invoice: InvoiceState) -> None:
        self.outbox.emit(event_type, objects.invoice(invoice, self.owner))

    def announce_payment_method(
        self, event_type: str, method: PaymentMethodState, previous: Previous = None
    ) -> None:
        self.outbox.emit(event_type, objects.payment_method(method), previous)
