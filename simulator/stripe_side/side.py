"""The simulated Stripe account: its catalog, each customer's objects and the billing clock.

Each customer action (here, or on the hosted pages of pages.py) makes the API calls Stripe
would make (checked by stripe-mock), updates the customer's object graph, and delivers the events
Stripe would send about it, rendered from that graph and signed with the webhook secret.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from simulator.naming import Roles, mint_id
from simulator.stripe_side import objects
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.catalog import Card, CatalogPrice, build_catalog
from simulator.stripe_side.clock import DAY, SimClock
from simulator.stripe_side.pages import PERIOD_DAYS, CheckoutPage, PortalVisit
from simulator.stripe_side.state import (
    CustomerState,
    InvoiceState,
    PaymentMethodState,
    SubscriptionState,
)
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint, envelope

if TYPE_CHECKING:
    from stripe.params import PriceCreateParams

TRIAL_WARNING_DAYS = 3


class StripeSide:
    """One simulated Stripe account for a run: its catalog and its customers' accounts."""

    def __init__(self, api: StripeApi, endpoint: WebhookEndpoint, namespace: str) -> None:
        self.api = api
        self.endpoint = endpoint
        self.namespace = namespace
        self.catalog: dict[str, CatalogPrice] = build_catalog(namespace)

    async def publish_catalog(self) -> DeliveryLog:
        """Create the products and prices, and send their product/price.created events."""
        account = self.account("catalog", Roles(), Chaos(None))
        for entry in self.catalog.values():
            await self._create_in_stripe(entry)
            account.emit("product.created", objects.product(entry, account.clock.tick()))
            account.emit("price.created", objects.price(entry, account.clock.tick()))
        await account.flush()
        return account.log.take()

    def account(self, role: str, roles: Roles, chaos: Chaos) -> CustomerAccount:
        return CustomerAccount(self, role, roles, chaos)

    async def _create_in_stripe(self, entry: CatalogPrice) -> None:
        await self.api.call(
            f"create product {entry.product_name}",
            lambda v1: v1.products.create_async(
                {"id": entry.product_id, "name": entry.product_name}
            ),
        )
        params: PriceCreateParams = {
            "product": entry.product_id,
            "unit_amount": entry.unit_amount,
            "currency": entry.currency,
            "nickname": entry.nickname,
        }
        if entry.interval == "month":
            params["recurring"] = {"interval": "month"}
        await self.api.call(
            f"create price {entry.nickname}", lambda v1: v1.prices.create_async(params)
        )


class CustomerAccount:
    """Everything Stripe holds and does for one customer, on that customer's own clock."""

    def __init__(self, side: StripeSide, role: str, roles: Roles, chaos: Chaos) -> None:
        self.side = side
        self.role = role
        self.roles = roles
        self.chaos = chaos
        self.clock = SimClock()
        self.log = DeliveryLog()
        self.customer: CustomerState | None = None
        self._pending: list[dict[str, Any]] = []
        self._serial = 0

    # -- plumbing ---------------------------------------------------------------------------

    def mint(self, prefix: str, what: str) -> str:
        return mint_id(prefix, self.side.namespace, f"{self.role} {what}")

    def emit(
        self, event_type: str, data_object: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> None:
        """Queue an event; the object is rendered now, so each event is a snapshot in time."""
        self._serial += 1
        event_id = self.mint("evt", f"event {self._serial}")
        self._pending.append(
            envelope(event_id, event_type, data_object, self.clock.tick(), previous)
        )

    async def flush(self) -> None:
        """Deliver the queued events (in order, or through the chaos plan)."""
        events, self._pending = self._pending, []
        self._serial += 1
        plan = self.chaos.plan(events, self.mint("evt", f"forged {self._serial}"))
        await self.side.endpoint.deliver(plan, self.log, at_once=self.chaos.enabled)

    def _owner(self) -> CustomerState:
        if self.customer is None:
            raise RuntimeError("the customer has no Stripe customer yet")
        return self.customer

    def _subscription(self) -> SubscriptionState:
        subscription = self._owner().subscription
        if subscription is None:
            raise RuntimeError(f"{self.role} has no subscription")
        return subscription

    def _emit_customer(self, previous: dict[str, Any] | None = None) -> None:
        self.emit("customer.updated", objects.customer(self._owner()), previous)

    def _emit_subscription(self, event_type: str, previous: dict[str, Any] | None = None) -> None:
        self.emit(event_type, objects.subscription(self._subscription(), self._owner()), previous)

    def _emit_invoice(self, event_type: str, invoice: InvoiceState) -> None:
        self.emit(event_type, objects.invoice(invoice, self._owner()))

    # -- the customer the service created ----------------------------------------------------

    async def customer_created(self, customer_id: str, user_id: str, email: str) -> None:
        """The service created this customer through the API: Stripe announces it."""
        if self.customer is not None:
            return
        self.roles.name(customer_id, f"{self.role}'s Stripe customer")
        self.customer = CustomerState(customer_id, user_id, email, self.clock.tick())
        await self.side.api.call(
            "retrieve the customer", lambda v1: v1.customers.retrieve_async(customer_id)
        )
        self.emit("customer.created", objects.customer(self.customer))
        await self.flush()

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
        self.roles.name(session_id, f"{self.role}'s checkout session")
        await self.side.api.call(
            "retrieve the checkout session",
            lambda v1: v1.checkout.sessions.retrieve_async(session_id),
        )
        return CheckoutPage(self, session_id, entry, quantity, trial_days, success_url, cancel_url)

    async def open_portal(self, session_id: str, return_url: str) -> PortalVisit:
        self.roles.name(session_id, f"{self.role}'s portal session")
        return PortalVisit(self, return_url)

    # -- what Stripe does with its own clock ------------------------------------------------

    def card_starts_declining(self) -> None:
        """The default card stops working (expired, blocked): later charges are declined."""
        owner = self._owner()
        method = owner.payment_methods[owner.default_payment_method or ""]
        method.card = dataclasses.replace(method.card, declines=True)

    async def end_billing_period(self) -> None:
        """Time reaches the period end: cancel if asked to, otherwise renew and charge."""
        subscription = self._subscription()
        self.clock.advance_to(subscription.period_end)
        if subscription.cancel_at_period_end:
            await self._cancel_now()
            return
        await self._renew("subscription_cycle")

    async def end_trial(self) -> None:
        """The trial warning three days ahead, then the first paid period."""
        subscription = self._subscription()
        assert subscription.trial_end is not None
        self.clock.advance_to(subscription.trial_end - TRIAL_WARNING_DAYS * DAY)
        self._emit_subscription("customer.subscription.trial_will_end")
        await self.flush()
        self.clock.advance_to(subscription.trial_end)
        await self._renew("subscription_cycle")

    async def _renew(self, reason: str) -> None:
        subscription = self._subscription()
        before = {"status": subscription.status}
        subscription.period_start = self.clock.now
        subscription.period_end = self.clock.now + PERIOD_DAYS * DAY
        invoice = await self._issue(subscription.price, subscription.quantity, reason, subscription)
        await self._pay(invoice)
        subscription.status = "active" if invoice.status == "paid" else "past_due"
        self._emit_subscription("customer.subscription.updated", before)
        await self.flush()

    async def _issue(
        self,
        entry: CatalogPrice,
        quantity: int,
        reason: str,
        subscription: SubscriptionState | None,
        *,
        amount: int | None = None,
    ) -> InvoiceState:
        """Create and finalize an invoice, with the events of each stage; `_pay` or
        `_mark_paid` settles it."""
        owner = self._owner()
        number = len(owner.invoices) + 1
        invoice = InvoiceState(
            id=self.roles.name(
                self.mint("in", f"invoice {number}"), f"{self.role}'s invoice {number}"
            ),
            number=f"SIM-{number:04d}",
            price=entry,
            quantity=quantity,
            amount=entry.unit_amount * quantity if amount is None else amount,
            created=self.clock.now,
            period_start=subscription.period_start if subscription else self.clock.now,
            period_end=subscription.period_end if subscription else self.clock.now,
            billing_reason=reason,
            subscription_id=subscription.id if subscription else None,
        )
        owner.invoices.append(invoice)
        if subscription is not None:
            subscription.latest_invoice = invoice.id
        await self.side.api.call(
            "create the invoice",
            lambda v1: v1.invoices.create_async(
                {
                    "customer": owner.id,
                    **({"subscription": subscription.id} if subscription else {}),
                }
            ),
        )
        self._emit_invoice("invoice.created", invoice)
        await self.side.api.call(
            "finalize the invoice", lambda v1: v1.invoices.finalize_invoice_async(invoice.id)
        )
        invoice.status = "open"
        invoice.finalized_at = self.clock.now
        self._emit_invoice("invoice.finalized", invoice)
        return invoice

    async def _pay(self, invoice: InvoiceState) -> None:
        """Charge the customer's default card, as Stripe does for subscription invoices."""
        owner = self._owner()
        method = owner.payment_methods.get(owner.default_payment_method or "")
        invoice.attempt_count += 1
        if invoice.amount and method is not None:
            await self.side.api.call(
                "pay the invoice",
                lambda v1: v1.invoices.pay_async(invoice.id, {"payment_method": method.id}),
            )
        if invoice.amount and (method is None or method.card.declines):
            self._emit_invoice("invoice.payment_failed", invoice)
            return
        self._mark_paid(invoice)

    def _mark_paid(self, invoice: InvoiceState) -> None:
        invoice.status = "paid"
        invoice.paid_at = self.clock.now
        self._emit_invoice("invoice.paid", invoice)
        self._emit_invoice("invoice.payment_succeeded", invoice)

    async def _cancel_now(self) -> None:
        subscription = self._subscription()
        await self.side.api.call(
            "cancel the subscription", lambda v1: v1.subscriptions.cancel_async(subscription.id)
        )
        subscription.status = "canceled"
        subscription.canceled_at = subscription.canceled_at or self.clock.now
        subscription.ended_at = self.clock.now
        self._emit_subscription("customer.subscription.deleted")
        await self.flush()

    async def _add_card(self, card: Card, *, attach: bool) -> PaymentMethodState:
        owner = self._owner()
        serial = len(owner.payment_methods) + 1
        method = PaymentMethodState(
            id=self.roles.name(self.mint("pm", f"card {serial}"), f"{self.role}'s card {serial}"),
            card=card,
            created=self.clock.now,
            customer_id=owner.id if attach else None,
        )
        owner.payment_methods[method.id] = method
        await self.side.api.call(
            "create the payment method",
            lambda v1: v1.payment_methods.create_async(
                {"type": "card", "card": {"token": card.token}}
            ),
        )
        if attach:
            await self.side.api.call(
                "attach the payment method",
                lambda v1: v1.payment_methods.attach_async(method.id, {"customer": owner.id}),
            )
            self.emit("payment_method.attached", objects.payment_method(method))
        return method

    async def _make_default(self, method: PaymentMethodState) -> None:
        owner = self._owner()
        before = {"invoice_settings": {"default_payment_method": owner.default_payment_method}}
        await self.side.api.call(
            "set the default payment method",
            lambda v1: v1.customers.update_async(
                owner.id, {"invoice_settings": {"default_payment_method": method.id}}
            ),
        )
        owner.default_payment_method = method.id
        self._emit_customer(before)
