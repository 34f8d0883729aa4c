"""What one Customer Portal session shows: the plan and its dates, what the saved configuration
lets the customer do to it right now, the cards and the invoices.

Worked out here once per request, so the templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.sessions import PortalSession
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.portal_configurations import PortalConfiguration
from simulator.stripe_side.state import InvoiceState, PaymentMethodState, SubscriptionState

# Statuses a subscription may be changed or cancelled in from the portal.
CHANGEABLE = frozenset({"active", "trialing", "past_due"})
STATUS_LABELS = {
    "active": "Active",
    "trialing": "Trial",
    "past_due": "Past due",
    "unpaid": "Unpaid",
    "paused": "Paused",
    "canceled": "Canceled",
    "incomplete": "Incomplete",
    "incomplete_expired": "Expired",
}
INVOICE_STATUS_LABELS = {
    "paid": "Paid",
    "open": "Due",
    "void": "Void",
    "uncollectible": "Uncollectible",
}
PRORATION_NOTES = {
    "none": "The new price applies from your next invoice.",
    "create_prorations": "The change is prorated: your next invoice credits the unused time "
    "and charges the rest of the period at the new price.",
    "always_invoice": "The change is prorated and invoiced now.",
}


@dataclass(frozen=True, slots=True)
class PortalOffers:
    """What the portal offers now, under its configuration, for the customer's subscription."""

    cancel: bool
    renew: bool
    switch_price: bool
    change_quantity: bool
    update_card: bool
    invoice_history: bool

    @property
    def update(self) -> bool:
        return self.switch_price or self.change_quantity

    @classmethod
    def of(
        cls,
        configuration: PortalConfiguration,
        subscription: SubscriptionState | None,
        switchable: list[CatalogPrice],
    ) -> PortalOffers:
        live = subscription is not None and subscription.status in CHANGEABLE
        scheduled = subscription is not None and subscription.scheduled_end is not None
        changeable = live and not scheduled and configuration.update_enabled
        current = subscription.price.price_id if subscription else None
        return cls(
            cancel=live and not scheduled and configuration.cancel_enabled,
            renew=scheduled and subscription is not None and subscription.status != "canceled",
            switch_price=changeable
            and "price" in configuration.allowed_updates
            and any(price.price_id != current for price in switchable),
            change_quantity=changeable and "quantity" in configuration.allowed_updates,
            update_card=configuration.payment_method_update_enabled,
            invoice_history=configuration.invoice_history_enabled,
        )


@dataclass(frozen=True, slots=True)
class SavedCard:
    """One card saved on the customer; `default` marks the one the portal shows as default."""

    id: str
    label: str
    expires: str
    default: bool


@dataclass(frozen=True, slots=True)
class PortalView:
    """Everything the portal's screens show for one session."""

    session: PortalSession
    configuration: PortalConfiguration
    email: str | None
    subscription: SubscriptionState | None
    status_label: str | None
    offers: PortalOffers
    plans: list[CatalogPrice]
    cards: list[SavedCard]
    invoices: list[InvoiceState]
    proration_note: str

    @classmethod
    def of(cls, local: LocalStripe, session: PortalSession) -> PortalView:
        configuration = local.portal_configuration(session.id)
        customer = local.customer(session.customer_id)
        subscription = local.current_subscription(session.customer_id)
        switchable = local.switchable_prices(session.id)
        plans = _plans(subscription, switchable)
        default = local.default_card(session.customer_id) or (
            local.card_paying(subscription) if subscription else None
        )
        methods = customer.payment_methods.values() if customer else ()
        cards = [_saved(method, default) for method in methods if method.customer_id]
        return cls(
            session=session,
            configuration=configuration,
            email=customer.email if customer else None,
            subscription=subscription,
            status_label=STATUS_LABELS.get(subscription.status, subscription.status)
            if subscription
            else None,
            offers=PortalOffers.of(configuration, subscription, switchable),
            plans=plans,
            cards=cards,
            invoices=local.invoices(session.customer_id),
            proration_note=PRORATION_NOTES[configuration.proration_behavior],
        )

    def invoice_status(self, invoice: InvoiceState) -> str:
        return INVOICE_STATUS_LABELS.get(invoice.status, invoice.status.capitalize())


def _plans(
    subscription: SubscriptionState | None, switchable: list[CatalogPrice]
) -> list[CatalogPrice]:
    """The plans to choose from: the current one first, then the others by amount."""
    current = [subscription.price] if subscription else []
    others = [price for price in switchable if price not in current]
    return current + sorted(others, key=lambda price: (price.unit_amount, price.product_name))


def _saved(method: PaymentMethodState, default: PaymentMethodState | None) -> SavedCard:
    card = method.card
    return SavedCard(
        id=method.id,
        label=f"{card.brand.capitalize()} •••• {card.last4}",
        expires=f"{card.exp_month:02d}/{card.exp_year}",
        default=default is not None and default.id == method.id,
    )
