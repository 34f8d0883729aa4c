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
from simulator.stripe_side.catalog import CatalogPrice, Feature, build_catalog
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.completed_checkouts import CompletedCheckouts
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.portal_configurations import PortalConfigurations
from simulator.stripe_side.settings import DEFAULT_BILLING_SETTINGS, BillingSettings
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint

if TYPE_CHECKING:
    from stripe.params import PriceCreateParams, ProductFeatureCreateParams
    from stripe.params.entitlements import FeatureCreateParams


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
        line_items: CheckoutLineItems | None = None,
        completed_checkouts: CompletedCheckouts | None = None,
    ) -> None:
        self.api = api
        self.endpoint = endpoint
        self.namespace = namespace
        # The mode Checkout gives new subscriptions (Stripe's default unless asked otherwise).
        self.billing_mode = billing_mode
        # The portal configurations the service saved (see api_recorder.py), by session.
        self.portal_configurations = portal_configurations or PortalConfigurations()
        # What its Checkout Sessions sold (see checkout_line_items.py).
        self.line_items = line_items or CheckoutLineItems()
        # Its completed Checkout Sessions, as the API answers for them (completed_checkouts.py).
        self.completed_checkouts = completed_checkouts or CompletedCheckouts()
        self.catalog: dict[str, CatalogPrice] = build_catalog(namespace)

    async def publish_catalog(self, clock: SimClock | None = None) -> DeliveryLog:
        """Create the products and prices, and send their product/price.created events, stamped
        by `clock` (a journey's own clock unless the account shares one)."""
        clock = clock if clock is not None else SimClock()
        outbox = EventOutbox(self.endpoint, Chaos(None), clock, self._ids("catalog", Roles()))
        await self._create_features()
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
            line_items=self.line_items,
            completed_checkouts=self.completed_checkouts,
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
        for feature in entry.features:
            await self._attach(entry, feature)

    async def _create_features(self) -> None:
        """Every feature the catalog's products grant, once each."""
        entries = self.catalog.values()
        features = {feature.id: feature for entry in entries for feature in entry.features}
        for feature in features.values():
            await self._create_feature(feature)

    async def _create_feature(self, feature: Feature) -> None:
        # BEHAVIOUR: catalog.features
        created: FeatureCreateParams = {"name": feature.name, "lookup_key": feature.lookup_key}
        await self.api.call(
            f"create the feature {feature.lookup_key}",
            lambda v1: v1.entitlements.features.create_async(created),
        )

    async def _attach(self, entry: CatalogPrice, feature: Feature) -> None:
        # BEHAVIOUR: catalog.features (attached to the product; no event)
        attached: ProductFeatureCreateParams = {"entitlement_feature": feature.id}
        await self.api.call(
            f"attach {feature.lookup_key} to {entry.product_name}",
            lambda v1: v1.products.features.create_async(entry.product_id, attached),
        )
