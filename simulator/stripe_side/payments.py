"""Payments: the payment intent and the charge behind every amount Stripe takes from a card.

Since API 2025-03-31 neither names an invoice; an invoice paid by a payment points at it
through an `invoice_payment` (see Invoicing). The caller makes the API call that takes the money
(confirming a payment intent, paying an invoice); this records the payment and its events.
"""

from __future__ import annotations

from simulator.stripe_side import objects
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.state import PaymentMethodState, PaymentState


class Payments:
    """Every payment one Stripe customer made or attempted, in the order they happened."""

    def __init__(self, context: CustomerContext) -> None:
        self._context = context

    def charge(
        self,
        amount: int,
        currency: str,
        method: PaymentMethodState,
        *,
        metadata: dict[str, str] | None = None,
    ) -> PaymentState:
        """Charge `amount` to `method`: created, then succeeded or failed as the card answers."""
        # BEHAVIOUR: shape.invoice-payments
        context = self._context
        owner = context.owner
        serial = len(owner.payments) + 1
        payment = PaymentState(
            intent_id=context.ids.mint("pi", f"payment intent {serial}"),
            charge_id=context.ids.mint("ch", f"charge {serial}"),
            amount=amount,
            currency=currency,
            method_id=method.id,
            created=context.clock.now,
            metadata=dict(metadata or {}),
        )
        owner.payments.append(payment)
        context.outbox.emit("payment_intent.created", objects.payment_intent(payment, owner))
        self._confirm(payment, method)
        return payment

    def retry(self, payment: PaymentState, method: PaymentMethodState, attempt: int) -> None:
        """Confirm `payment` again (Stripe retries an invoice on its one payment intent): a new
        charge and the intent's new outcome, without a second `payment_intent.created`."""
        # BEHAVIOUR: dunning.retry-schedule
        payment.charge_id = self._context.ids.mint("ch", f"{payment.intent_id} attempt {attempt}")
        payment.method_id = method.id
        self._confirm(payment, method)

    async def refund_in_full(self, payment: PaymentState) -> None:
        """The merchant refunds the whole payment (in the Dashboard, or through the API)."""
        # BEHAVIOUR: refund.full
        context = self._context
        await context.api.call(
            "refund the payment",
            lambda v1: v1.refunds.create_async({"payment_intent": payment.intent_id}),
        )
        payment.amount_refunded = payment.amount
        payment.refund_id = context.ids.mint("re", f"refund of {payment.intent_id}")
        method = context.owner.payment_methods[payment.method_id]
        context.outbox.emit("refund.created", objects.refund(payment, context.clock.now))
        context.outbox.emit("charge.refunded", objects.charge(payment, method, context.owner))

    def _confirm(self, payment: PaymentState, method: PaymentMethodState) -> None:
        owner = self._context.owner
        outbox = self._context.outbox
        payment.charged = True
        outcome = "failed" if method.card.declines else "succeeded"
        payment.status = "requires_payment_method" if method.card.declines else "succeeded"
        outbox.emit(f"charge.{outcome}", objects.charge(payment, method, owner))
        intent_event = "payment_failed" if method.card.declines else "succeeded"
        outbox.emit(f"payment_intent.{intent_event}", objects.payment_intent(payment, owner))
