"""The object graph one simulated customer owns in the simulated Stripe account.

stripe-mock keeps no state, so this graph is the simulated Stripe's memory: every event the
Stripe side sends is rendered from it (see objects.py), which keeps all events of a journey
consistent with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.stripe_side.catalog import Card, CatalogPrice


@dataclass
class PaymentMethodState:
    id: str
    card: Card
    created: int
    customer_id: str | None


@dataclass
class SubscriptionState:
    id: str
    item_id: str
    price: CatalogPrice
    quantity: int
    status: str
    created: int
    period_start: int
    period_end: int
    default_payment_method: str | None
    trial_start: int | None = None
    trial_end: int | None = None
    cancel_at_period_end: bool = False
    canceled_at: int | None = None
    ended_at: int | None = None
    latest_invoice: str | None = None


@dataclass
class InvoiceState:
    id: str
    number: str
    price: CatalogPrice
    quantity: int
    amount: int
    created: int
    period_start: int
    period_end: int
    billing_reason: str
    subscription_id: str | None
    status: str = "draft"
    attempt_count: int = 0
    finalized_at: int | None = None
    paid_at: int | None = None


@dataclass
class CustomerState:
    """A customer the service created in Stripe (its id comes from the service)."""

    id: str
    user_id: str
    email: str
    created: int
    default_payment_method: str | None = None
    payment_methods: dict[str, PaymentMethodState] = field(default_factory=dict)
    subscription: SubscriptionState | None = None
    invoices: list[InvoiceState] = field(default_factory=list)
