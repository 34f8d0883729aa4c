"""The object graph one simulated customer owns in the simulated Stripe account.

stripe-mock keeps no state, so this graph is the simulated Stripe's memory: every event the
Stripe side sends is rendered from it (see objects.py), which keeps all events of a journey
consistent with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.stripe_side.catalog import Card, CatalogPrice, Feature
from simulator.stripe_side.settings import MissingPaymentMethod


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
    billing_mode: BillingMode = DEFAULT_BILLING_MODE
    trial_start: int | None = None
    trial_end: int | None = None
    cancel_at_period_end: bool = False
    cancel_at: int | None = None
    canceled_at: int | None = None
    cancellation_reason: str | None = None
    ended_at: int | None = None
    latest_invoice: str | None = None
    # trial_settings.end_behavior: what the end of a trial does when no card can pay.
    missing_payment_method: MissingPaymentMethod = "create_invoice"
    # The price and quantity the current period was last debited at (an invoice's period line
    # or a proration's debit); None until the first invoice. Flexible mode credits these.
    debited: tuple[CatalogPrice, int] | None = None

    @property
    def scheduled_end(self) -> int | None:
        """When a scheduled cancellation ends the subscription: a classic one follows the
        period end, a flexible one keeps the date it was given."""
        return self.period_end if self.cancel_at_period_end else self.cancel_at


@dataclass
class InvoiceState:
    id: str
    number: str
    price: CatalogPrice
    quantity: int
    amount: int
    created: int
    # The invoice's own period looks back; its line carries the service period.
    period_start: int
    period_end: int
    service_start: int
    service_end: int
    billing_reason: str
    subscription_id: str | None
    status: str = "draft"
    attempt_count: int = 0
    next_payment_attempt: int | None = None
    finalized_at: int | None = None
    paid_at: int | None = None
    payment: PaymentState | None = None
    # Invoice items swept into this invoice; `amount` is the total of every line.
    items: list[InvoiceItemState] = field(default_factory=list)
    # False for an invoice of items only (prorations invoiced at once): no period line.
    period_line: bool = True

    @property
    def period_line_amount(self) -> int:
        return self.amount - sum(item.amount for item in self.items)


@dataclass
class InvoiceItemState:
    """A one-off line waiting for the customer's next invoice (`invoice_id` None), or on it.
    Only subscription changes make them here: a proration's credit or debit."""

    id: str
    price: CatalogPrice
    quantity: int
    amount: int
    description: str
    created: int
    period_start: int
    period_end: int
    subscription_id: str
    subscription_item_id: str
    proration: bool = True
    invoice_id: str | None = None


@dataclass
class PaymentState:
    """A payment intent and its one charge; `status` is the intent's (Stripe's names)."""

    intent_id: str
    charge_id: str
    amount: int
    currency: str
    method_id: str
    created: int
    metadata: dict[str, str]
    status: str = "requires_payment_method"
    charged: bool = False
    amount_refunded: int = 0
    refund_id: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


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
    # Subscriptions the customer had before the current one, oldest first.
    past_subscriptions: list[SubscriptionState] = field(default_factory=list)
    invoices: list[InvoiceState] = field(default_factory=list)
    payments: list[PaymentState] = field(default_factory=list)
    invoice_items: list[InvoiceItemState] = field(default_factory=list)
    # The features of the customer's latest active entitlement summary.
    entitled: tuple[Feature, ...] = ()
    # The one-time payments Checkout took (a refund names one).
    one_time_payments: list[PaymentState] = field(default_factory=list)
