"""`LocalStripe`: one local Stripe account that the service calls and a person clicks through.

It holds what a Stripe account holds (the catalog, customers with their subscriptions,
invoices and cards, Checkout and portal sessions, portal configurations) on the simulator's
Stripe side: each customer is a `StripeCustomer`, each page action is what the scripted
journeys' `CheckoutPage` and `PortalVisit` do, and time passing is what their renewals do. So a
click sends the same signed webhooks, at the same moments, as a scripted journey.

The API layer (api.py) creates customers and sessions synchronously when the service asks; the
actions (pages, the clock) run one at a time, each returning once its webhooks were delivered.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
from collections.abc import Awaitable

from simulator.local_stripe.cards import CardInput, card_for
from simulator.local_stripe.clock import LiveClock
from simulator.local_stripe.configurations import ConfigurationRecord, ConfigurationRecords
from simulator.local_stripe.errors import ActionRefused, UnknownSession
from simulator.local_stripe.persistence import AccountSnapshot
from simulator.local_stripe.schedule import Due, checkout_expiry, customer_due
from simulator.local_stripe.sessions import (
    CHECKOUT_LIFETIME_SECONDS,
    CheckoutSession,
    PortalSession,
)
from simulator.naming import Roles, mint_id
from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.checkout_ui import RedirectOnCompletion, UiMode
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.portal_configurations import PortalConfiguration, PortalRefused
from simulator.stripe_side.settings import MissingPaymentMethod
from simulator.stripe_side.side import StripeSide
from simulator.stripe_side.state import (
    CustomerState,
    InvoiceState,
    PaymentMethodState,
    SubscriptionState,
)
from simulator.stripe_side.webhooks import Chaos

log = logging.getLogger(__name__)

# A subscription in one of these is over: the portal shows nothing to manage.
ENDED = frozenset({"canceled", "incomplete_expired"})
# More due moments than this in one advance means something does not move time on.
MAX_DUE_PER_ADVANCE = 10_000


class LocalStripe:
    """A Stripe account in this process, on a clock that can be moved forward."""

    def __init__(self, side: StripeSide, clock: LiveClock | None = None) -> None:
        self.side = side
        self.clock = clock if clock is not None else LiveClock()
        # Ids the account mints never meet those of another account (a saved account keeps
        # its own, and counts on).
        self._run = secrets.token_hex(4)
        self._serial = 0
        # A customer's events and objects are numbered from 1 in each process: minting them
        # under this process's own name keeps a restarted account from repeating an id the
        # service has already seen (it would ignore that event as a duplicate).
        self._process = secrets.token_hex(4)
        self._lock = asyncio.Lock()
        self._customers: dict[str, StripeCustomer] = {}
        self._checkouts: dict[str, CheckoutSession] = {}
        self._portals: dict[str, PortalSession] = {}
        self._prices = {entry.price_id: entry for entry in side.catalog.values()}
        self.catalog_created = self.clock.now
        self._catalog_published = False
        self._trial_warned: set[str] = set()
        self.configurations = ConfigurationRecords(
            self.mint("bpc", "default portal configuration"), self.catalog_created
        )

    def mint(self, prefix: str, what: str) -> str:
        """A new id, unique in this account (and across its runs)."""
        self._serial += 1
        return mint_id(prefix, self.side.namespace, f"{self._run} {what} {self._serial}")

    # -- kept between runs -------------------------------------------------------------------

    def snapshot(self) -> AccountSnapshot:
        """Everything the account holds now (see persistence.py)."""
        return AccountSnapshot(
            run=self._run,
            next_serial=self._serial,
            saved_at=self.clock.now,
            catalog_created=self.catalog_created,
            customers=self.customers(),
            checkouts=self.checkout_sessions(),
            portals=list(self._portals.values()),
            configuration_records=self.configurations,
            portal_configurations=self.side.portal_configurations,
            trial_warned=set(self._trial_warned),
        )

    def restore(self, snapshot: AccountSnapshot) -> None:
        """Take up a saved account (before anything else happened in this one); its clock
        resumes no earlier than when it was saved."""
        self._run, self._serial = snapshot.run, snapshot.next_serial
        self.clock.advance_to(snapshot.saved_at)
        self.catalog_created = snapshot.catalog_created
        for graph in snapshot.customers:
            self._customer_for(graph.id).restore(graph)
        self._checkouts = {session.id: session for session in snapshot.checkouts}
        self._portals = {session.id: session for session in snapshot.portals}
        self.configurations = snapshot.configuration_records
        self.side.portal_configurations = snapshot.portal_configurations
        self._trial_warned = set(snapshot.trial_warned)

    # -- the catalog -------------------------------------------------------------------------

    def prices(self) -> list[CatalogPrice]:
        """The catalog's prices, in the order they were published."""
        return list(self._prices.values())

    def price(self, price_id: str) -> CatalogPrice | None:
        return self._prices.get(price_id)

    async def publish_catalog(self) -> bool:
        """Send the catalog's product/price.created events until the service has acknowledged
        every one of them once; True once it has. A failed round is sent again whole: the
        events are new, their objects the same, as when Stripe retries a delivery."""
        async with self._lock:
            if self._catalog_published:
                return True
            delivered = await self.side.publish_catalog(self.clock)
            self._catalog_published = not delivered.problems
        for problem in delivered.problems:
            log.warning("publishing the catalog: %s", problem)
        return self._catalog_published

    # -- what the service creates through the API --------------------------------------------

    def create_customer(self, *, email: str | None, user_id: str | None) -> CustomerState:
        """A new customer; its `customer.created` waits for `deliver(customer_id)`."""
        customer_id = self.mint("cus", "customer")
        return self._customer_for(customer_id).holds_customer(
            customer_id, user_id or "", email or ""
        )

    def _customer_for(self, customer_id: str) -> StripeCustomer:
        customer = self.side.customer_for(
            f"customer {customer_id} in {self._process}", Roles(), Chaos(None), clock=self.clock
        )
        self._customers[customer_id] = customer
        return customer

    async def deliver(self, customer_id: str) -> None:
        """Send a customer's waiting events: after the API answered, as Stripe does."""
        async with self._lock:
            await self._deliver(self._customers[customer_id])

    def create_checkout_session(
        self,
        *,
        customer_id: str,
        price: CatalogPrice,
        quantity: int,
        success_url: str | None = None,
        cancel_url: str | None = None,
        ui_mode: UiMode = "hosted_page",
        return_url: str | None = None,
        redirect_on_completion: RedirectOnCompletion = "always",
        trial_days: int | None = None,
        allow_promotion_codes: bool = False,
        payment_method_collection: str = "always",
        missing_payment_method: MissingPaymentMethod = "create_invoice",
        client_reference_id: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> CheckoutSession:
        now = self.clock.now
        session_id = self.mint("cs", "checkout session")
        session = CheckoutSession(
            id=session_id,
            customer_id=customer_id,
            price=price,
            quantity=quantity,
            success_url=success_url,
            cancel_url=cancel_url,
            created=now,
            expires_at=now + CHECKOUT_LIFETIME_SECONDS,
            client_reference_id=client_reference_id,
            metadata=metadata,
            trial_days=trial_days,
            allow_promotion_codes=allow_promotion_codes,
            payment_method_collection=payment_method_collection,
            missing_payment_method=missing_payment_method,
            ui_mode=ui_mode,
            return_url=return_url,
            redirect_on_completion=redirect_on_completion,
            # BEHAVIOUR: local.embedded-session (the session's id, then a secret part)
            client_secret=(
                f"{session_id}_secret_{secrets.token_hex(16)}"
                if ui_mode == "embedded_page"
                else None
            ),
        )
        self._checkouts[session.id] = session
        return session

    def create_portal_session(
        self,
        *,
        customer_id: str,
        return_url: str,
        configuration_id: str | None = None,
        flow: str | None = None,
        flow_subscription_id: str | None = None,
        after_completion_url: str | None = None,
    ) -> PortalSession:
        """A portal session on `configuration_id`, or on the account's default configuration."""
        session = PortalSession(
            id=self.mint("bps", "portal session"),
            customer_id=customer_id,
            return_url=return_url,
            configuration_id=configuration_id or self.configurations.default_id,
            created=self.clock.now,
            flow=flow,
            flow_subscription_id=flow_subscription_id,
            after_completion_url=after_completion_url,
        )
        self._portals[session.id] = session
        self.side.portal_configurations.session_created(session.id, configuration_id)
        return session

    def save_configuration(
        self, configuration_id: str | None, params: dict[str, str]
    ) -> ConfigurationRecord:
        """Create (`configuration_id` None) or update a portal configuration with the API's
        form `params`."""
        new_id = configuration_id or self.mint("bpc", "portal configuration")
        self.side.portal_configurations.saved(new_id, params)
        return self.configurations.saved(new_id, params, self.clock.now)

    # -- lookups -----------------------------------------------------------------------------

    def customers(self) -> list[CustomerState]:
        return [graph for customer in self._customers.values() if (graph := customer.graph)]

    def customer(self, customer_id: str) -> CustomerState | None:
        customer = self._customers.get(customer_id)
        return customer.graph if customer is not None else None

    def checkout_session(self, session_id: str) -> CheckoutSession | None:
        return self._checkouts.get(session_id)

    def checkout_session_by_secret(self, client_secret: str) -> CheckoutSession | None:
        """The embedded session whose client secret this is (the secret starts with its id)."""
        session = self._checkouts.get(client_secret.partition("_secret_")[0])
        if session is None or session.client_secret is None:
            return None
        if not hmac.compare_digest(session.client_secret, client_secret):
            return None
        return session

    def checkout_sessions(self) -> list[CheckoutSession]:
        return list(self._checkouts.values())

    def portal_session(self, session_id: str) -> PortalSession | None:
        return self._portals.get(session_id)

    def subscriptions(self) -> list[tuple[SubscriptionState, CustomerState]]:
        """Every subscription of every customer, with its customer."""
        return [
            (subscription, graph)
            for graph in self.customers()
            for subscription in (*graph.past_subscriptions, graph.subscription)
            if subscription is not None
        ]

    def subscription(self, subscription_id: str) -> SubscriptionState | None:
        return next(
            (found for found, _ in self.subscriptions() if found.id == subscription_id), None
        )

    def current_subscription(self, customer_id: str) -> SubscriptionState | None:
        """The subscription the portal shows: the customer's, unless it is over."""
        graph = self.customer(customer_id)
        subscription = graph.subscription if graph is not None else None
        if subscription is None or subscription.status in ENDED:
            return None
        return subscription

    def card_paying(self, subscription: SubscriptionState) -> PaymentMethodState | None:
        """The card Stripe charges for `subscription`'s invoices."""
        owner = next(
            (graph for found, graph in self.subscriptions() if found is subscription), None
        )
        return self._customers[owner.id].card_paying(subscription) if owner else None

    def default_card(self, customer_id: str) -> PaymentMethodState | None:
        """The customer's invoice default card, if one was set (the portal's card update)."""
        graph = self.customer(customer_id)
        if graph is None or graph.default_payment_method is None:
            return None
        return graph.payment_methods.get(graph.default_payment_method)

    def invoices(self, customer_id: str) -> list[InvoiceState]:
        """The customer's invoices, newest first, drafts left out (as the portal lists them)."""
        graph = self.customer(customer_id)
        if graph is None:
            return []
        return [invoice for invoice in reversed(graph.invoices) if invoice.status != "draft"]

    def portal_configuration(self, portal_session_id: str) -> PortalConfiguration:
        """What the portal session offers: the configuration it was created with."""
        return self.side.portal_configurations.for_session(portal_session_id)

    def switchable_prices(self, portal_session_id: str) -> list[CatalogPrice]:
        """The prices the session's configuration lets a customer switch to, catalog order."""
        allowed = self.portal_configuration(portal_session_id).switchable_prices
        return [entry for entry in self.prices() if entry.price_id in allowed]

    def return_url(self, portal_session_id: str) -> str:
        return self._portal(portal_session_id).return_url

    # -- Checkout ----------------------------------------------------------------------------

    async def complete_checkout(
        self, session_id: str, card: CardInput | None, *, promotion_code: str | None = None
    ) -> str | None:
        """Pay (or start the trial) with `card`; returns where the browser goes next (the
        session's `landing_url`: None when an embedded session keeps the app's page).

        A declined card raises `CardDeclined` and changes nothing: the session stays open.
        """
        session = self._checkout(session_id)
        async with self._lock:
            self._check_open(session)
            if session.expires_at <= self.clock.now:
                await self._expire(session)
                self._check_open(session)
            if promotion_code and promotion_code.strip():
                # BEHAVIOUR: local.promotion-codes
                raise ActionRefused("This code is invalid: this account has no promotion codes.")
            customer = self._customers[session.customer_id]
            live = self.current_subscription(session.customer_id)
            if session.mode == "subscription" and live is not None:
                # BEHAVIOUR: local.one-subscription
                raise ActionRefused(
                    "You already have a subscription: manage it in the customer portal. "
                    "(This local test stand-in for Stripe keeps one per customer.)"
                )
            page = await self._open_checkout(customer, session)
            if card is None:
                if session.card_required:
                    raise ActionRefused("Enter your card details.")
                await page.start_trial_without_card(session.missing_payment_method)
            else:
                paid = card_for(card, now=self.clock.now, charged_now=session.amount_total > 0)
                await page.complete(paid)
            self._completed(session, customer)
            self._log_deliveries(customer)
        return session.landing_url

    async def abandon_checkout(self, session_id: str) -> str:
        """The customer walks away and the session expires; returns the cancel URL ("" for an
        embedded session, which has none)."""
        session = self._checkout(session_id)
        async with self._lock:
            self._check_open(session)
            return await self._expire(session)

    def _checkout(self, session_id: str) -> CheckoutSession:
        session = self._checkouts.get(session_id)
        if session is None:
            raise UnknownSession("This Checkout page does not exist.")
        return session

    def _check_open(self, session: CheckoutSession) -> None:
        if session.status == "complete":
            raise ActionRefused("This Checkout session is already complete.")
        if session.status == "expired":
            raise ActionRefused("This Checkout session has expired.")

    async def _open_checkout(
        self, customer: StripeCustomer, session: CheckoutSession
    ) -> CheckoutPage:
        return await customer.open_checkout(
            session.id,
            session.price,
            quantity=session.quantity,
            trial_days=session.trial_days,
            ui=session.ui,
        )

    def _completed(self, session: CheckoutSession, customer: StripeCustomer) -> None:
        """Note on the session what completing it made (the objects its events named)."""
        graph = customer.graph
        assert graph is not None
        session.status = "complete"
        if session.mode == "subscription" and graph.subscription is not None:
            session.subscription_id = graph.subscription.id
            session.invoice_id = graph.subscription.latest_invoice
        else:
            session.payment_intent_id = graph.payments[-1].intent_id if graph.payments else None
            session.invoice_id = graph.invoices[-1].id if graph.invoices else None

    async def _expire(self, session: CheckoutSession) -> str:
        customer = self._customers[session.customer_id]
        page = await self._open_checkout(customer, session)
        session.status = "expired"
        back = await page.abandon()
        self._log_deliveries(customer)
        return back

    # -- the Customer Portal ----------------------------------------------------------------

    async def cancel_subscription(self, portal_session_id: str) -> None:
        """Cancel as the session's configuration says: at the period end, or now."""
        async with self._lock:
            visit, subscription = await self._visit(portal_session_id)
            at_period_end = visit.configuration.cancellation_mode != "immediately"
            if at_period_end and subscription.scheduled_end is not None:
                raise ActionRefused("Your plan is already set to end.")
            await self._act(portal_session_id, visit.cancel(at_period_end=at_period_end))

    async def renew_subscription(self, portal_session_id: str) -> None:
        """Withdraw a scheduled cancellation: the subscription goes on."""
        async with self._lock:
            visit, subscription = await self._visit(portal_session_id)
            if subscription.scheduled_end is None:
                raise ActionRefused("Your plan is not set to end: there is nothing to renew.")
            await self._act(portal_session_id, visit.renew())

    async def switch_plan(
        self, portal_session_id: str, price_id: str, quantity: int | None = None
    ) -> None:
        """Move to `price_id` (and `quantity`, else the current one), prorated as configured."""
        async with self._lock:
            visit, subscription = await self._visit(portal_session_id)
            entry = self._prices.get(price_id)
            if entry is None:
                raise ActionRefused("This plan is not available.")
            target_quantity = subscription.quantity if quantity is None else quantity
            self._check_change(subscription, entry, target_quantity)
            await self._act(portal_session_id, visit.switch_plan(entry, quantity=target_quantity))

    async def change_quantity(self, portal_session_id: str, quantity: int) -> None:
        async with self._lock:
            visit, subscription = await self._visit(portal_session_id)
            self._check_change(subscription, subscription.price, quantity)
            await self._act(portal_session_id, visit.change_quantity(quantity))

    async def update_card(self, portal_session_id: str, card: CardInput) -> None:
        """Save `card` as the customer's default card (it must pass the issuer's check)."""
        async with self._lock:
            visit = await self._open_portal(portal_session_id)
            saved = card_for(card, now=self.clock.now, charged_now=False)
            await self._act(portal_session_id, visit.update_card(saved))

    def _portal(self, portal_session_id: str) -> PortalSession:
        session = self._portals.get(portal_session_id)
        if session is None:
            raise UnknownSession("This portal page does not exist.")
        return session

    async def _open_portal(self, portal_session_id: str) -> PortalVisit:
        session = self._portal(portal_session_id)
        return await self._customers[session.customer_id].open_portal(
            session.id, session.return_url
        )

    async def _visit(self, portal_session_id: str) -> tuple[PortalVisit, SubscriptionState]:
        """The portal visit, and the live subscription it acts on."""
        session = self._portal(portal_session_id)
        subscription = self.current_subscription(session.customer_id)
        if subscription is None:
            raise ActionRefused("You have no subscription to manage.")
        return await self._open_portal(portal_session_id), subscription

    @staticmethod
    def _check_change(subscription: SubscriptionState, entry: CatalogPrice, quantity: int) -> None:
        if quantity < 1:
            raise ActionRefused("The quantity must be at least 1.")
        if entry.price_id == subscription.price.price_id and quantity == subscription.quantity:
            raise ActionRefused("This is already your plan.")

    async def _act(self, portal_session_id: str, action: Awaitable[None]) -> None:
        """Run a portal visit's action; what the configuration refuses becomes ActionRefused."""
        try:
            await action
        except PortalRefused as refused:
            text = str(refused)
            raise ActionRefused(f"{text[:1].upper()}{text[1:]}.") from refused
        finally:
            self._log_deliveries(self._customers[self._portal(portal_session_id).customer_id])

    # -- time --------------------------------------------------------------------------------

    async def advance_by(self, seconds: int) -> int:
        return await self.advance_to(self.clock.now + max(0, seconds))

    async def advance_to(self, moment: int) -> int:
        """Time reaches `moment`: whatever falls due on the way (renewals, trial ends,
        payment retries, expiring Checkout Sessions, Stripe's webhook retries) happens at its
        moment, in order; returns the time after."""
        # BEHAVIOUR: local.clock
        async with self._lock:
            for _ in range(MAX_DUE_PER_ADVANCE):
                due = min(self._due(), key=lambda item: item.moment, default=None)
                if due is None or due.moment > moment:
                    break
                await due.run()
            else:
                raise RuntimeError("time does not move on: a due moment keeps coming back")
            for customer in self._customers.values():
                await customer.time_passes(max(0, moment - self.clock.now))
                self._log_deliveries(customer)
            self.clock.advance_to(moment)
            return self.clock.now

    def _due(self) -> list[Due]:
        due = [
            item
            for customer in self._customers.values()
            for item in customer_due(customer, self._trial_warned)
        ]
        due += [
            checkout_expiry(session, self._expire)
            for session in self._checkouts.values()
            if session.status == "open"
        ]
        return due

    # -- deliveries --------------------------------------------------------------------------

    async def _deliver(self, customer: StripeCustomer) -> None:
        await customer.deliver()
        self._log_deliveries(customer)

    @staticmethod
    def _log_deliveries(customer: StripeCustomer) -> None:
        """Say what the webhook endpoint answered wrongly (Stripe retries those events)."""
        for problem in customer.log.take().problems:
            log.warning("%s", problem)
