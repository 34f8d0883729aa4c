"""Invoices: issued (created, then finalized), charged to the default card, marked paid."""

from __future__ import annotations

from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.state import InvoiceState, SubscriptionState
from simulator.stripe_side.wallet import Wallet


class Invoicing:
    """The invoices of one Stripe customer, from their first event to paid."""

    def __init__(self, context: CustomerContext, wallet: Wallet) -> None:
        self._context = context
        self._wallet = wallet

    async def issue(
        self,
        entry: CatalogPrice,
        quantity: int,
        reason: str,
        subscription: SubscriptionState | None,
        *,
        amount: int | None = None,
    ) -> InvoiceState:
        """Create and finalize an invoice, with the events of each stage; `pay` or
        `mark_paid` settles it."""
        context = self._context
        owner = context.owner
        clock = context.clock
        number = len(owner.invoices) + 1
        invoice = InvoiceState(
            id=context.ids.mint_named("in", f"invoice {number}"),
            number=f"SIM-{number:04d}",
            price=entry,
            quantity=quantity,
            amount=entry.unit_amount * quantity if amount is None else amount,
            created=clock.now,
            period_start=subscription.period_start if subscription else clock.now,
            period_end=subscription.period_end if subscription else clock.now,
            billing_reason=reason,
            subscription_id=subscription.id if subscription else None,
        )
        owner.invoices.append(invoice)
        if subscription is not None:
            subscription.latest_invoice = invoice.id
        await context.api.call(
            "create the invoice",
            lambda v1: v1.invoices.create_async(
                {
                    "customer": owner.id,
                    **({"subscription": subscription.id} if subscription else {}),
                }
            ),
        )
        context.announce_invoice("invoice.created", invoice)
        await context.api.call(
            "finalize the invoice", lambda v1: v1.invoices.finalize_invoice_async(invoice.id)
        )
        invoice.status = "open"
        invoice.finalized_at = clock.now
        context.announce_invoice("invoice.finalized", invoice)
        return invoice

    async def pay(self, invoice: InvoiceState) -> None:
        """Charge the customer's default card, as Stripe does for subscription invoices."""
        method = self._wallet.default_card()
        invoice.attempt_count += 1
        if invoice.amount and method is not None:
            await self._context.api.call(
                "pay the invoice",
                lambda v1: v1.invoices.pay_async(invoice.id, {"payment_method": method.id}),
            )
        if invoice.amount and (method is None or method.card.declines):
            self._context.announce_invoice("invoice.payment_failed", invoice)
            return
        self.mark_paid(invoice)

    def mark_paid(self, invoice: InvoiceState) -> None:
        """Paid: the charge went through, nothing was due, or a one-time payment took the money."""
        invoice.status = "paid"
        invoice.paid_at = self._context.clock.now
        self._context.announce_invoice("invoice.paid", invoice)
        self._context.announce_invoice("invoice.payment_succeeded", invoice)

    async def pay_open(self) -> bool:
        """Retry every open invoice; True when there were some and all are now paid."""
        unpaid = [invoice for invoice in self._context.owner.invoices if invoice.status == "open"]
        for invoice in unpaid:
            await self.pay(invoice)
        return bool(unpaid) and all(invoice.status == "paid" for invoice in unpaid)
