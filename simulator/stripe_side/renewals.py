"""What time does to one customer's subscription: periods renew, failed payments are retried
and then given up on, trials end.

A renewal happens in two moments, an hour or more apart: at the period boundary the new period
begins with a draft invoice, and only after the service has acknowledged that draft does Stripe
finalize and charge it. The driver delivers the first moment's events before asking for the
second, so the service sees the draft as Stripe would show it.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.stripe_side.billing import PERIOD_DAYS, trial_warning_at
from simulator.stripe_side.cancellation import Cancellations
from simulator.stripe_side.clock import DAY, HOUR
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.invoicing import Invoicing
from simulator.stripe_side.settings import BillingSettings
from simulator.stripe_side.state import InvoiceState, SubscriptionState
from simulator.stripe_side.wallet import Wallet

# How long a renewal invoice stays a draft once the service acknowledged it.
DRAFT_SECONDS = HOUR
# How long Stripe waits for that acknowledgement before it finalizes anyway.
ACKNOWLEDGEMENT_WAIT_SECONDS = 72 * HOUR
PAYMENT_FAILED = "payment_failed"


@dataclass(frozen=True, slots=True)
class _Draft:
    """A renewal invoice waiting for its hour, and when its period began."""

    invoice: InvoiceState
    announced: str
    boundary: int


class Renewals:
    """The passing of time for one customer's subscription, as Stripe's billing runs it."""

    def __init__(
        self,
        context: CustomerContext,
        wallet: Wallet,
        invoicing: Invoicing,
        cancellations: Cancellations,
        settings: BillingSettings,
    ) -> None:
        self._context = context
        self._wallet = wallet
        self._invoicing = invoicing
        self._cancellations = cancellations
        self._settings = settings
        self._draft: _Draft | None = None

    async def begin_period(self) -> None:
        """Time reaches the period end: a scheduled cancellation ends the subscription; a
        live one begins its next period with a draft invoice (a paused or ended one does not)."""
        subscription = self._context.subscription
        if self._cancellations.end_if_scheduled_by(subscription.period_end):
            return
        await self._context.outbox.run_until(subscription.period_end)
        if subscription.status in ("active", "past_due", "unpaid"):
            await self._next_period(subscription, subscription.status)

    async def collect(self) -> None:
        """About an hour after the service acknowledged the draft: finalize and charge it."""
        draft, self._draft = self._draft, None
        if draft is None:
            return
        # BEHAVIOUR: renewal.invoice-created-gate
        outbox = self._context.outbox
        deadline = draft.boundary + ACKNOWLEDGEMENT_WAIT_SECONDS
        answered = await outbox.await_acknowledgement(draft.announced, deadline=deadline)
        await outbox.run_until(min(answered + DRAFT_SECONDS, deadline))
        subscription = self._context.subscription
        if subscription.status == "unpaid":
            # BEHAVIOUR: dunning.final-action (unpaid: later invoices stay drafts)
            return
        # BEHAVIOUR: renewal.draft-then-finalize
        await self._invoicing.finalize(draft.invoice)
        await self._charge(draft.invoice)

    async def retry_payment(self) -> None:
        """Time reaches the next scheduled retry of an open invoice: Stripe charges it again."""
        # BEHAVIOUR: dunning.retry-schedule
        invoice = self._invoicing.next_retry()
        if invoice is None or invoice.next_payment_attempt is None:
            raise RuntimeError(f"{self._context.ids.role} has no payment retry scheduled")
        await self._context.outbox.run_until(invoice.next_payment_attempt)
        await self._charge(invoice)

    def has_retry_scheduled(self) -> bool:
        return self._invoicing.next_retry() is not None

    def next_retry_at(self) -> int | None:
        invoice = self._invoicing.next_retry()
        return invoice.next_payment_attempt if invoice is not None else None

    async def warn_trial_ending(self) -> None:
        """The trial warning, three days before the trial ends (a shorter trial had it as it
        started)."""
        subscription = self._context.subscription
        warning = trial_warning_at(subscription)
        if warning == subscription.created:
            return
        await self._context.outbox.run_until(warning)
        self._context.announce_subscription("customer.subscription.trial_will_end", subscription)

    async def end_trial(self) -> None:
        """The trial ends: the first paid period begins, or, with no card to pay it, what the
        subscription's trial settings say."""
        context = self._context
        subscription = context.subscription
        if subscription.trial_end is None:
            raise RuntimeError("the subscription has no trial")
        await context.outbox.run_until(subscription.trial_end)
        has_card = self._wallet.card_for(subscription) is not None
        if has_card or subscription.missing_payment_method == "create_invoice":
            # BEHAVIOUR: trial.end-with-card
            # BEHAVIOUR: trial.end-missing-pm.create-invoice (stays trialing until finalized)
            await self._next_period(subscription, "active" if has_card else subscription.status)
        elif subscription.missing_payment_method == "pause":
            # BEHAVIOUR: trial.end-missing-pm.pause
            before = context.snapshot_subscription()
            subscription.status = "paused"
            context.announce_subscription_change(before)
            context.announce_subscription("customer.subscription.paused", subscription)
        else:
            # BEHAVIOUR: trial.end-missing-pm.cancel
            self._cancellations.end_by_stripe(reason=None)

    async def _next_period(self, subscription: SubscriptionState, status: str) -> None:
        """The boundary: the item's period moves on (the subscription now in `status`) and a
        draft invoice bills the new period."""
        # BEHAVIOUR: renewal.boundary
        context = self._context
        before = context.snapshot_subscription()
        boundary = context.clock.now
        looks_back_to = subscription.period_start
        subscription.period_start = boundary
        subscription.period_end = boundary + PERIOD_DAYS * DAY
        subscription.status = status
        drafted = await self._invoicing.draft(
            subscription.price,
            subscription.quantity,
            "subscription_cycle",
            subscription,
            looks_back_to=looks_back_to,
        )
        context.announce_subscription_change(before)
        self._draft = _Draft(drafted.invoice, drafted.announced, boundary)

    async def _charge(self, invoice: InvoiceState) -> None:
        """One attempt at a finalized invoice, and what its outcome does to the subscription."""
        subscription = self._context.subscription
        before = self._context.snapshot_subscription()
        if await self._invoicing.pay(invoice):
            if subscription.status == "past_due":
                subscription.status = "active"
                self._context.announce_subscription_change(before)
            return
        if subscription.status != "past_due":
            # BEHAVIOUR: renewal.payment-failed
            # BEHAVIOUR: trial.end-missing-pm.create-invoice
            subscription.status = "past_due"
            self._context.announce_subscription_change(before)
        if invoice.attempt_count and invoice.next_payment_attempt is None:
            self._give_up(subscription)

    def _give_up(self, subscription: SubscriptionState) -> None:
        """The last retry failed: the account's setting decides the subscription's fate."""
        # BEHAVIOUR: dunning.final-action
        action = self._settings.after_final_retry
        if action == "cancel":
            self._cancellations.end_by_stripe(reason=PAYMENT_FAILED)
        elif action == "unpaid":
            before = self._context.snapshot_subscription()
            subscription.status = "unpaid"
            self._context.announce_subscription_change(before)
