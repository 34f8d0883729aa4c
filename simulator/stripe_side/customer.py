"""One simulated Stripe customer: what the customer does on Stripe, and what time does to it.

It exists before the service creates the customer in Stripe (the journey's clock and outbox
start with it); the wallet and the billing engine exist once Stripe announced the customer.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from fractions import Fraction

from simulator.billing_modes import BillingMode
from simulator.naming import Roles
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.billing import BillingEngine
from simulator.stripe_side.cancellation import Cancellations
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.checkout_ui import CheckoutUi
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.completed_checkouts import CompletedCheckouts
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.invoicing import Invoicing
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.payments import Payments
from simulator.stripe_side.portal_configurations import PortalConfigurations
from simulator.stripe_side.renewals import Renewals
from simulator.stripe_side.settings import BillingSettings
from simulator.stripe_side.state import CustomerState, PaymentMethodState, SubscriptionState
from simulator.stripe_side.wallet import Wallet
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class _Parts:
    """The customer's graph and the parts that act on it, once Stripe has the customer."""

    context: CustomerContext
    wallet: Wallet
    cancellations: Cancellations
    billing: BillingEngine
    renewals: Renewals

    @classmethod
    def of(cls, context: CustomerContext, settings: BillingSettings) -> _Parts:
        wallet = Wallet(context)
        payments = Payments(context)
        cancellations = Cancellations(context)
        invoicing = Invoicing(context, wallet, payments, settings)
        billing = BillingEngine(context, invoicing, payments)
        renewals = Renewals(context, wallet, invoicing, cancellations, settings)
        return cls(context, wallet, cancellations, billing, renewals)


class StripeCustomer:
    """Everything Stripe holds and does for one customer, on that customer's own clock."""

    def __init__(
        self,
        api: StripeApi,
        endpoint: WebhookEndpoint,
        chaos: Chaos,
        ids: IdMint,
        *,
        billing_mode: BillingMode,
        settings: BillingSettings,
        portal_configurations: PortalConfigurations | None = None,
        clock: SimClock | None = None,
        line_items: CheckoutLineItems | None = None,
        completed_checkouts: CompletedCheckouts | None = None,
    ) -> None:
        self.clock = clock if clock is not None else SimClock()
        self._portal_configurations = portal_configurations or PortalConfigurations()
        self._line_items = line_items or CheckoutLineItems()
        self._completed_checkouts = completed_checkouts or CompletedCheckouts()
        self.billing_mode = billing_mode
        self._settings = settings
        self._api = api
        self._ids = ids
        self._outbox = EventOutbox(endpoint, chaos, self.clock, ids)
        self._in_stripe: _Parts | None = None

    @property
    def roles(self) -> Roles:
        return self._ids.roles

    @property
    def log(self) -> DeliveryLog:
        """What was delivered since the last `take()`, and what the service answered wrong."""
        return self._outbox.log

    @property
    def graph(self) -> CustomerState | None:
        """Everything Stripe holds for this customer; None until Stripe has the customer."""
        return self._in_stripe.context.owner if self._in_stripe else None

    @property
    def subscription_id(self) -> str | None:
        subscription = self._in_stripe.context.owner.subscription if self._in_stripe else None
        return subscription.id if subscription else None

    async def customer_created(self, customer_id: str, user_id: str, email: str) -> None:
        """The service created this customer through the API: Stripe announces it."""
        if self._in_stripe is not None:
            return
        await self._api.call(
            "retrieve the customer", lambda v1: v1.customers.retrieve_async(customer_id)
        )
        self.holds_customer(customer_id, user_id, email)
        await self.deliver()

    def holds_customer(self, customer_id: str, user_id: str, email: str) -> CustomerState:
        """Stripe now holds the customer: its graph begins, and `customer.created` waits for
        the next delivery (`deliver`)."""
        owner = CustomerState(customer_id, user_id, email, self.clock.now)
        context = self.restore(owner)
        # BEHAVIOUR: customer.created
        context.announce_customer("customer.created")
        return owner

    def restore(self, owner: CustomerState) -> CustomerContext:
        """Take up a graph Stripe already holds (a saved one): nothing is announced."""
        self._ids.name(owner.id, "Stripe customer")
        context = CustomerContext(self._api, self.clock, self._ids, self._outbox, owner)
        self._in_stripe = _Parts.of(context, self._settings)
        return context

    async def deliver(self) -> None:
        """Send the events waiting in the outbox now, with the retries falling due."""
        await self._outbox.flush()

    def webhooks_held(self) -> AbstractContextManager[None]:
        """Within the block Stripe sends nothing, and time stands still: the browser is back
        from Stripe's page before any event of it is delivered (`deliver` sends them)."""
        return self._outbox.held()

    def card_paying(self, subscription: SubscriptionState | None) -> PaymentMethodState | None:
        """The card Stripe charges for an invoice of `subscription` (see `Wallet.card_for`)."""
        return self._parts().wallet.card_for(subscription)

    # -- hosted pages ------------------------------------------------------------------------

    async def open_checkout(
        self,
        session_id: str,
        entry: CatalogPrice,
        *,
        quantity: int,
        trial_days: int | None,
        ui: CheckoutUi,
    ) -> CheckoutPage:
        self._ids.name(session_id, "checkout session")
        await self._api.call(
            "retrieve the checkout session",
            lambda v1: v1.checkout.sessions.retrieve_async(session_id),
        )
        parts = self._parts()
        return CheckoutPage(
            parts.context,
            parts.wallet,
            parts.billing,
            session_id,
            entry,
            quantity,
            trial_days,
            ui,
            self.billing_mode,
            self._line_items,
            self._completed_checkouts,
        )

    async def open_portal(self, session_id: str, return_url: str) -> PortalVisit:
        self._ids.name(session_id, "portal session")
        parts = self._parts()
        return PortalVisit(
            parts.context,
            parts.wallet,
            parts.billing,
            parts.cancellations,
            return_url,
            self._portal_configurations.for_session(session_id),
        )

    # -- what Stripe does with its own clock ------------------------------------------------

    async def refund_purchase(self) -> None:
        """The merchant refunds the latest one-time purchase in full (Dashboard or API)."""
        await self._parts().billing.refund_latest_purchase()
        await self._outbox.flush()

    async def time_passes(self, seconds: int) -> None:
        """`seconds` go by; Stripe's retries of unacknowledged events falling due on the way are
        sent at their time."""
        await self._outbox.run_until(self.clock.now + seconds)

    async def reach_share_of_period(self, share: Fraction) -> None:
        """Time passes until `share` of the subscription's current period has gone by (Stripe's
        retries of unacknowledged events falling due on the way are sent at their time)."""
        subscription = self._parts().context.subscription
        length = subscription.period_end - subscription.period_start
        await self._outbox.run_until(subscription.period_start + int(length * share))

    def card_starts_declining(self) -> None:
        """The card that pays the subscription stops working: later charges are declined."""
        parts = self._parts()
        parts.wallet.card_starts_declining(parts.context.owner.subscription)

    async def reach_period_end(self) -> None:
        """Time reaches the period end: a scheduled cancellation ends the subscription,
        otherwise the next period begins with a draft invoice."""
        await self._parts().renewals.begin_period()
        await self._outbox.flush()

    async def collect_renewal(self) -> None:
        """About an hour after the service acknowledged the draft, Stripe finalizes and
        charges it."""
        await self._parts().renewals.collect()
        await self._outbox.flush()

    async def end_billing_period(self) -> None:
        """The period ends and, an hour later, its renewal is charged."""
        await self.reach_period_end()
        await self.collect_renewal()

    async def retry_payment(self) -> None:
        """Time reaches the next scheduled retry of a failed payment; Stripe charges again."""
        await self._parts().renewals.retry_payment()
        await self._outbox.flush()

    async def exhaust_payment_retries(self) -> None:
        """Every scheduled retry comes due in turn (and fails, on a declining card)."""
        while self._parts().renewals.has_retry_scheduled():
            await self.retry_payment()

    async def end_trial(self) -> None:
        """The trial warning three days ahead, then the trial's end, and an hour later the
        first paid period's invoice is charged (if the trial ended in one)."""
        await self.warn_trial_ending()
        await self.finish_trial()

    async def warn_trial_ending(self) -> None:
        """Time reaches three days before the trial's end: Stripe warns that it ends."""
        await self._parts().renewals.warn_trial_ending()
        await self._outbox.flush()

    async def finish_trial(self) -> None:
        """Time reaches the trial's end, and an hour later the first paid period's invoice is
        charged (if the trial ended in one)."""
        await self._parts().renewals.end_trial()
        await self._outbox.flush()
        await self.collect_renewal()

    def next_retry_at(self) -> int | None:
        """When Stripe next charges a failed invoice again; None when no retry is scheduled."""
        return self._parts().renewals.next_retry_at()

    def _parts(self) -> _Parts:
        if self._in_stripe is None:
            raise RuntimeError("the customer has no Stripe customer yet")
        return self._in_stripe
