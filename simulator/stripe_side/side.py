"""The simulated Stripe account: the catalog it sells, and a `StripeCustomer` per journey.

Each customer action (on the customer, or on the hosted pages of pages.py) makes the API calls
Stripe would make (checked by stripe-mock), updates the customer's object graph, and delivers the
events Stripe would send about it, rendered from that graph and signed with the webhook secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.naming import Roles
from simulator.stripe_side import objects
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.catalog import CatalogPrice, build_catalog
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.portal_configurations import PortalConfigurations
from simulator.stripe_side.settings import DEFAULT_BILLING_SETTINGS, BillingSettings
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint

if TYPE_CHECKING:
    from stripe.params import PriceCreateParams


class StripeSide:
    """One simulated Stripe account for a run: its catalog and its customers."""

    def __init__(
        self,
        api: StripeApi,
        endpoint: WebhookEndpoint,
        namespace: str,
        *,
        billing_mode: BillingMode = DEFAULT_BILLING_MODE,
        portal_configurations: PortalConfigurations | None = None,
    ) -> None:
        self.api = api
        self.endpoint = endpoint
        self.namespace = namespace
        # The mode Checkout gives new subscriptions (Stripe's default unless asked otherwise).
        self.billing_mode = billing_mode
        # The portal configurations the service saved (see api_recorder.py), by session.
        self.portal_configurations = portal_configurations or PortalConfigurations()
        self.catalog: dict[str, CatalogPrice] = build_catalog(namespace)

    async def publish_catalog(self, clock: SimClock | None = None) -> DeliveryLog:
        """Create the products and prices, and send their product/price.created events, stamped
        by `clock` (a journey's own clock unless the account shares one)."""
        clock = clock if clock is not None else SimClock()
        outbox = EventOutbox(self.endpoint, Chaos(None), clock, self._ids("catalog", Roles()))
        for entry in self.catalog.values():
            await self._create_in_stripe(entry)
            # BEHAVIOUR: catalog.publish
            outbox.emit("product.created", objects.product(entry, clock.now))
            outbox.emit("price.created", objects.price(entry, clock.now))
        await outbox.flush()
        return outbox.log.take()

    def customer_for(
        self,
        role: str,
        roles: Roles,
        chaos: Chaos,
        settings: BillingSettings = DEFAULT_BILLING_SETTINGS,
        *,
        clock: SimClock | None = None,
    ) -> StripeCustomer:
        """A customer of this account, known in reports as `role`, its deliveries under `chaos`,
        billed under `settings` (the account's, which each scenario may choose), on `clock`
        (its own journey's time line unless the account's customers share one)."""
        return StripeCustomer(
            self.api,
            self.endpoint,
            chaos,
            self._ids(role, roles),
            billing_mode=self.billing_mode,
            settings=settings,
            portal_configurations=self.portal_configurations,
            clock=clock,
        )

    def _ids(self, role: str, roles: Roles) -> IdMint:
        return IdMint(self.namespace, role, roles)

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
