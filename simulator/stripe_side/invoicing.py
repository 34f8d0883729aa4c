"""Invoices from draft to paid: drafted, finalized, charged (again on the retry schedule), paid.

Each stage is announced as Stripe announces it. The timing between stages (a renewal's draft
hour, the days between retries) belongs to whoever drives them (see renewals.py); this module
only knows what one stage does to an invoice.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.stripe_side import objects
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.clock import DAY
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.payments import Payments
from simulator.stripe_side.settings import BillingSettings
from simulator.stripe_side.state import InvoiceState, PaymentState, SubscriptionState
from simulator.stripe_side.wallet import Wallet


@dataclass(frozen=True, slots=True)
class Drafted:
    """A new draft invoice and the `invoice.created` event that announced it."""

    invoice: InvoiceState
    announced: str


class Invoicing:
    """The invoices of one Stripe customer, from their first event to paid."""

    def __init__(
        self,
        context: CustomerContext,
        wallet: Wallet,
        payments: Payments,
        settings: BillingSettings,
    ) -> None:
        self._context = context
        self._wallet = wallet
        self._payments = payments
        self._settings = settings

    async def draft(
        self,
        entry: CatalogPrice,
        quantity: int,
        reason: str,
        subscription: SubscriptionState | None,
        *,
        amount: int | None = None,
        looks_back_to: int | None = None,
        period_line: bool = True,
    ) -> Drafted:
        """A draft invoice for the subscription's current period (or for now, without one).

        The invoice's own period ends now and starts at `looks_back_to` (the previous period's
        start for a renewal); its line carries the service period being billed. The
        subscription's pending invoice items join it; without a `period_line` they are all
        it bills.
        """
        context = self._context
        owner = context.owner
        now = context.clock.now
        number = len(owner.invoices) + 1
        invoice = InvoiceState(
            id=context.ids.mint_named("in", f"invoice {number}"),
            number=f"SIM-{number:04d}",
            price=entry,
            quantity=quantity,
            amount=(entry.unit_amount * quantity if amount is None else amount)
            if period_line
            else 0,
            created=now,
            period_start=now if looks_back_to is None else looks_back_to,
            period_end=now,
            service_start=subscription.period_start if subscription else now,
            service_end=subscription.period_end if subscription else now,
            billing_reason=reason,
            subscription_id=subscription.id if subscription else None,
            period_line=period_line,
        )
        owner.invoices.append(invoice)
        if subscription is not None:
            subscription.latest_invoice = invoice.id
            self._sweep_pending_items(invoice, subscription)
            if period_line:
                subscription.debited = (entry, quantity)
        await context.api.call(
            "create the invoice",
            lambda v1: v1.invoices.create_async(
                {
                    "customer": owner.id,
                    **({"subscription": subscription.id} if subscription else {}),
                }
            ),
        )
        return Drafted(invoice, context.announce_invoice("invoice.created", invoice))

    async def finalize(self, invoice: InvoiceState) -> None:
        """The draft becomes an open invoice: it gets its number and its hosted page."""
        context = self._context
        await context.api.call(
            "finalize the invoice", lambda v1: v1.invoices.finalize_invoice_async(invoice.id)
        )
        invoice.status = "open"
        invoice.finalized_at = context.clock.now
        context.announce_invoice("invoice.finalized", invoice)

    async def issue(
        self,
        entry: CatalogPrice,
        quantity: int,
        reason: str,
        subscription: SubscriptionState | None,
        *,
        amount: int | None = None,
        period_line: bool = True,
    ) -> InvoiceState:
        """Draft and finalize at once (a first invoice, a one-time one or prorations invoiced
        at once have no draft hour); `pay` or `mark_paid` settles it."""
        drafted = await self.draft(
            entry, quantity, reason, subscription, amount=amount, period_line=period_line
        )
        await self.finalize(drafted.invoice)
        return drafted.invoice

    async def pay(self, invoice: InvoiceState) -> bool:
        """One attempt to collect `invoice` from the card Stripe charges for its subscription
        (`Wallet.card_for`); True when it is paid. A failed attempt schedules the next one."""
        context = self._context
        if invoice.amount <= 0:
            self.mark_paid(invoice)
            return True
        method = self._wallet.card_for(self._subscription_of(invoice))
        if method is None:
            # BEHAVIOUR: dunning.retry-schedule (no payment method: no attempt, no retry)
            invoice.next_payment_attempt = None
            return False
        await context.api.call(
            "pay the invoice",
            lambda v1: v1.invoices.pay_async(invoice.id, {"payment_method": method.id}),
        )
        invoice.attempt_count += 1
        payment = invoice.payment
        if payment is None:
            payment = self._payments.charge(invoice.amount, invoice.price.currency, method)
            invoice.payment = payment
        else:
            self._payments.retry(payment, method, invoice.attempt_count)
        if payment.succeeded:
            self.mark_paid(invoice)
            return True
        # BEHAVIOUR: renewal.payment-failed
        invoice.next_payment_attempt = self._next_attempt(invoice)
        context.announce_invoice("invoice.payment_failed", invoice)
        context.announce_invoice("invoice.updated", invoice)
        return False

    def mark_paid(self, invoice: InvoiceState, payment: PaymentState | None = None) -> None:
        """Paid: by `payment` (which an `invoice_payment` links), or with nothing due."""
        # BEHAVIOUR: renewal.payment-succeeded
        context = self._context
        invoice.status = "paid"
        invoice.paid_at = context.clock.now
        invoice.next_payment_attempt = None
        invoice.payment = payment or invoice.payment
        context.announce_invoice("invoice.updated", invoice)
        context.announce_invoice("invoice.paid", invoice)
        context.announce_invoice("invoice.payment_succeeded", invoice)
        if invoice.payment is not None:
            # BEHAVIOUR: shape.invoice-payments
            context.outbox.emit(
                "invoice_payment.paid", objects.invoice_payment(invoice, invoice.payment)
            )

    def next_retry(self) -> InvoiceState | None:
        """The open invoice Stripe charges next, if any retry is scheduled."""
        scheduled = [
            invoice
            for invoice in self._context.owner.invoices
            if invoice.status == "open" and invoice.next_payment_attempt is not None
        ]
        return min(scheduled, key=lambda invoice: invoice.next_payment_attempt or 0, default=None)

    def _next_attempt(self, invoice: InvoiceState) -> int | None:
        """When Stripe charges a failed invoice again: the retry schedule counts from the
        attempt that just failed; a subscription's first invoice is not retried."""
        # BEHAVIOUR: dunning.retry-schedule
        retried = invoice.subscription_id is not None and invoice.billing_reason != (
            "subscription_create"
        )
        retry_days = self._settings.retry_days if retried else ()
        if invoice.attempt_count > len(retry_days):
            return None
        return self._context.clock.now + retry_days[invoice.attempt_count - 1] * DAY

    def _sweep_pending_items(self, invoice: InvoiceState, subscription: SubscriptionState) -> None:
        """The subscription's pending invoice items become lines of `invoice`."""
        # BEHAVIOUR: portal.switch-plan.prorations (pending items land on the next invoice)
        pending = [
            item
            for item in self._context.owner.invoice_items
            if item.invoice_id is None and item.subscription_id == subscription.id
        ]
        for item in pending:
            item.invoice_id = invoice.id
        invoice.items = pending
        invoice.amount += sum(item.amount for item in pending)

    def _subscription_of(self, invoice: InvoiceState) -> SubscriptionState | None:
        subscription = self._context.owner.subscription
        if subscription is None or subscription.id != invoice.subscription_id:
            return None
        return subscription
