"""One simulated Stripe customer: what the customer does on Stripe, and what time does to it.

It exists before the service creates the customer in Stripe (the journey's clock and outbox
start with it); the wallet and the billing engine exist once Stripe announced the customer.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.naming import Roles
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.billing import BillingEngine
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.invoicing import Invoicing
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.state import CustomerState
from simulator.stripe_side.wallet import Wallet
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class _Parts:
    """The customer's graph and the parts that act on it, once Stripe has the customer."""

    context: CustomerContext
    wallet: Wallet
    billing: BillingEngine

    @classmethod
    def of(cls, context: CustomerContext) -> _Parts:
        wallet = Wallet(context)
        return cls(context, wallet, BillingEngine(context, Invoicing(context, wallet)))


class StripeCustomer:
    """Everything Stripe holds and does for one customer, on that customer's own clock."""

    def __init__(
        self, api: StripeApi, endpoint: WebhookEndpoint, chaos: Chaos, ids: IdMint
    ) -> None:
        self.clock = SimClock()
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
    def subscription_id(self) -> str | None:
        subscription = self._in_stripe.context.owner.subscription if self._in_stripe else None
        return subscription.id if subscription else None

    async def customer_created(self, customer_id: str, user_id: str, email: str) -> None:
        """The service created this customer through the API: Stripe announces it."""
        if self._in_stripe is not None:
            return
        self._ids.name(customer_id, "Stripe customer")
        owner = CustomerState(customer_id, user_id, email, self.clock.tick())
        await self._api.call(
            "retrieve the customer", lambda v1: v1.customers.retrieve_async(customer_id)
        )
        context = CustomerContext(self._api, self.clock, self._ids, self._outbox, owner)
        self._in_stripe = _Parts.of(context)
        context.announce_customer("customer.created")
        await self._outbox.flush()

    # -- hosted pages ------------------------------------------------------------------------

    async def open_checkout(
        self,
        session_id: str,
        entry: CatalogPrice,
        *,
        quantity: int,
        trial_days: int | None,
        success_url: str,
        cancel_url: str,
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
            success_url,
            cancel_url,
        )

    async def open_portal(self, session_id: str, return_url: str) -> PortalVisit:
        self._ids.name(session_id, "portal session")
        parts = self._parts()
        return PortalVisit(parts.context, parts.wallet, parts.billing, return_url)

    # -- what Stripe does with its own clock ------------------------------------------------

    def card_starts_declining(self) -> None:
        """The default card stops working (expired, blocked): later charges are declined."""
        self._parts().wallet.default_card_starts_declining()

    async def end_billing_period(self) -> None:
        """Time reaches the period end: cancel if asked to, otherwise renew and charge."""
        await self._parts().billing.end_period()
        await self._outbox.flush()

    async def end_trial(self) -> None:
        """The trial warning three days ahead, then the first paid period."""
        billing = self._parts().billing
        billing.warn_trial_ending()
        await self._outbox.flush()
        await billing.end_trial()
        await self._outbox.flush()

    def _parts(self) -> _Parts:
        if self._in_stripe is None:
            raise RuntimeError("the customer has no Stripe customer yet")
        return self._in_stripe
