"""The customer's cards: payment methods created, attached, made the default; and which one
Stripe charges for a subscription's invoice."""

from __future__ import annotations

import dataclasses

from simulator.stripe_side.catalog import Card
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.state import PaymentMethodState, SubscriptionState


class Wallet:
    """The payment methods of one Stripe customer, and which one pays their invoices."""

    def __init__(self, context: CustomerContext) -> None:
        self._context = context

    def card_for(self, subscription: SubscriptionState | None) -> PaymentMethodState | None:
        """The card Stripe charges for an invoice of `subscription` (every attempt and retry):
        the subscription's own card first, the customer's invoice default only without one.

        A card changed only on the customer (what the portal's card update guarantees) is
        therefore not charged while the subscription still has its Checkout card.
        """
        # BEHAVIOUR: card-update.open-invoice
        owner = self._context.owner
        own = subscription.default_payment_method if subscription else None
        return owner.payment_methods.get(own or owner.default_payment_method or "")

    async def add_card(self, card: Card, *, attach: bool) -> PaymentMethodState:
        """A payment method for `card`; `attach` saves it on the customer (a one-time payment's
        card stays unattached)."""
        context = self._context
        owner = context.owner
        serial = len(owner.payment_methods) + 1
        method = PaymentMethodState(
            id=context.ids.mint_named("pm", f"card {serial}"),
            card=card,
            created=context.clock.now,
            customer_id=owner.id if attach else None,
        )
        owner.payment_methods[method.id] = method
        await context.api.call(
            "create the payment method",
            lambda v1: v1.payment_methods.create_async(
                {"type": "card", "card": {"token": card.token}}
            ),
        )
        if attach:
            await context.api.call(
                "attach the payment method",
                lambda v1: v1.payment_methods.attach_async(method.id, {"customer": owner.id}),
            )
            context.announce_payment_method("payment_method.attached", method)
        return method

    async def make_default(self, method: PaymentMethodState) -> None:
        """`method` becomes the customer's invoice default."""
        context = self._context
        owner = context.owner
        before = {"invoice_settings": {"default_payment_method": owner.default_payment_method}}
        await context.api.call(
            "set the default payment method",
            lambda v1: v1.customers.update_async(
                owner.id, {"invoice_settings": {"default_payment_method": method.id}}
            ),
        )
        owner.default_payment_method = method.id
        context.announce_customer("customer.updated", before)

    def card_starts_declining(self, subscription: SubscriptionState | None) -> None:
        """The card that pays `subscription` stops working (expired, blocked): later charges
        on it are declined."""
        method = self.card_for(subscription)
        if method is None:
            raise RuntimeError(f"{self._context.ids.role} has no card to charge")
        method.card = dataclasses.replace(method.card, declines=True)
