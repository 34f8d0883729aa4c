"""`billing-portal sync`: rebuild the mirror from Stripe's own lists (backfill and repair).

Customers (with their cards and active entitlements), subscriptions, invoices, one-time purchases
(completed Checkout Sessions in payment mode, with their line items) and charges (for their
refunds) are what `viewer` reads; products (with their features) and prices are the catalog.
Every object is stored through the same handlers and the same
newer-wins write as events, with the sync version of the ordering rule (`ordering`: fetch
start minus a margin), so a sync is idempotent, can run while webhooks arrive, and never undoes
an event of the last minute. Products come first so that subscriptions find their plan names.
Lists are read with Stripe's auto-paging, a full page (PAGE_SIZE) at a time. Objects deleted
in Stripe no longer appear in its lists: their `*.deleted` webhooks are what mark them in the
mirror.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tortoise.transactions import in_transaction

from services.connections import WRITE_CONNECTION
from services.mirror.handlers.base import PAGE_SIZE, Family
from services.mirror.handlers.catalog import PRICES, PRODUCTS
from services.mirror.handlers.charges import CHARGES
from services.mirror.handlers.checkout import CHECKOUT_SESSIONS, is_one_time_purchase
from services.mirror.handlers.customers import CUSTOMERS
from services.mirror.handlers.entitlements import ENTITLEMENT_SUMMARIES, summary
from services.mirror.handlers.invoices import INVOICES
from services.mirror.handlers.payment_methods import PAYMENT_METHODS
from services.mirror.handlers.subscriptions import SUBSCRIPTIONS
from services.mirror.ordering import Phase, sync_version
from services.mirror.product_features import store_product_features
from services.notifications import BillingChanges
from services.stripe_gateway import StripeGateway

if TYPE_CHECKING:
    from stripe._v1_services import V1Services

Progress = Callable[[str], None]
"""Called with the kind of each object stored ("customers", "subscriptions", ...)."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    stored: dict[str, int]


class MirrorSync:
    """`changes` hears, once a run is over, whose billing it stored (whether or not it changed)."""

    def __init__(
        self, stripe_gateway: StripeGateway, changes: BillingChanges | None = None
    ) -> None:
        self._stripe = stripe_gateway
        self._changes = changes if changes is not None else BillingChanges()

    async def run(
        self, *, customer_id: str | None = None, progress: Progress | None = None
    ) -> SyncReport:
        """Everything in the account, or one customer with what it holds."""
        run = _Run(self._stripe, progress)
        owner: dict[str, str] = {}
        if customer_id is None:
            async for product in run.each(lambda v1: v1.products.list_async(_page())):
                await run.store("products", PRODUCTS, product)
                await run.store_product_features(str(product["id"]))
            await run.store_all("prices", PRICES, lambda v1: v1.prices.list_async(_page()))
            async for customer in run.each(lambda v1: v1.customers.list_async(_page())):
                await run.store_customer(customer)
        else:
            found = await self._stripe.call(lambda v1: v1.customers.retrieve_async(customer_id))
            await run.store_customer(found.to_dict())
            owner["customer"] = customer_id
        await run.store_all(
            "subscriptions",
            SUBSCRIPTIONS,
            lambda v1: v1.subscriptions.list_async(_page(status="all", **owner)),
        )
        await run.store_all("invoices", INVOICES, lambda v1: v1.invoices.list_async(_page(**owner)))
        completed = _page(status="complete", **owner)
        async for session in run.each(lambda v1: v1.checkout.sessions.list_async(completed)):
            if is_one_time_purchase(session):
                await run.store("one_time_purchases", CHECKOUT_SESSIONS, session)
        await run.store_all("charges", CHARGES, lambda v1: v1.charges.list_async(_page(**owner)))
        self._changes.publish(run.owners)
        return SyncReport(dict(run.stored))

    async def active_catalog(self) -> SyncReport:
        """The active prices with their products: what `plans` shows before any catalog event.

        One list of prices with each product expanded, instead of the full sync's two lists.
        """
        run = _Run(self._stripe, None)
        products: set[str] = set()
        active_prices = _page(active=True, expand=["data.product"])
        async for price in run.each(lambda v1: v1.prices.list_async(active_prices)):
            product = price.get("product")
            if isinstance(product, dict) and product["id"] not in products:
                products.add(product["id"])
                await run.store("products", PRODUCTS, product)
            await run.store("prices", PRICES, price)
        return SyncReport(dict(run.stored))


def _page(**filters: Any) -> Any:
    return {"limit": PAGE_SIZE, **filters}


class _Run:
    """One sync: its version (taken as it starts), its counts and its progress reports."""

    def __init__(self, gateway: StripeGateway, progress: Progress | None):
        self.gateway = gateway
        self.version = sync_version(int(time.time()))
        self.progress = progress
        self.stored: Counter[str] = Counter()
        self.owners: set[str] = set()

    def each(
        self, first_page: Callable[[V1Services], Awaitable[Any]]
    ) -> AsyncIterator[dict[str, Any]]:
        return self.gateway.each(first_page)

    async def store(self, kind: str, family: Family, snapshot: dict[str, Any]) -> None:
        """Store one listed object, completed as its event would be."""
        completed = await family.complete(self.gateway, snapshot)
        async with in_transaction(WRITE_CONNECTION) as connection:
            await family.apply(connection, completed, self.version, Phase.SYNC)
        self.owners.update(family.owners(completed))
        self._count(kind)

    def _count(self, kind: str, stored: int = 1) -> None:
        if stored:
            self.stored[kind] += stored
        if self.progress is not None:
            for _ in range(stored):
                self.progress(kind)

    async def store_all(
        self, kind: str, family: Family, first_page: Callable[[V1Services], Awaitable[Any]]
    ) -> None:
        async for snapshot in self.each(first_page):
            await self.store(kind, family, snapshot)

    async def store_customer(self, customer: dict[str, Any]) -> None:
        await self.store("customers", CUSTOMERS, customer)
        if customer.get("deleted") is True:
            return
        customer_id = str(customer["id"])
        cards = self.each(lambda v1: v1.customers.payment_methods.list_async(customer_id, _page()))
        async for card in cards:
            # A customer's list holds only the cards attached to it, whatever a card says.
            await self.store("payment_methods", PAYMENT_METHODS, {**card, "customer": customer_id})
        active = _page(customer=customer_id)
        entitlements = self.each(lambda v1: v1.entitlements.active_entitlements.list_async(active))
        listed = [entitlement async for entitlement in entitlements]
        await self.store(
            "entitlement_summaries", ENTITLEMENT_SUMMARIES, summary(customer_id, listed)
        )

    async def store_product_features(self, product_id: str) -> None:
        """One product's features, the whole list at once (see product_features)."""
        features = self.each(lambda v1: v1.products.features.list_async(product_id, _page()))
        listed = [feature async for feature in features]
        async with in_transaction(WRITE_CONNECTION) as connection:
            stored = await store_product_features(connection, product_id, listed, self.version)
        self._count("product_features", stored)
