"""The simulated Stripe account: the catalog it sells, and a `StripeCustomer` per journey.

Each customer action (on the customer, or on the hosted pages of pages.py) makes the API calls
Stripe would make (checked by stripe-mock), updates the customer's object graph, and delivers the
events Stripe would send about it, rendered from that graph and signed with the webhook secret.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.naming import Roles
from simulator.stripe_side import objects
from simulator.stripe_side.api import StripeApi
from simulator.stripe_side.catalog import CatalogPrice, build_catalog
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint

if TYPE_CHECKING:
    from stripe.params import PriceCreateParams


class StripeSide:
    """One simulated Stripe account for a run: its catalog and its customers."""

    def __init__(self, api: StripeApi, endpoint: WebhookEndpoint, namespace: str) -> None:
        self.api = api
        self.endpoint = endpoint
        self.namespace = namespace
        self.catalog: dict[str, CatalogPrice] = build_catalog(namespace)

    async def publish_catalog(self) -> DeliveryLog:
        """Create the products and prices, and send their product/price.created events."""
        clock = SimClock()
        outbox = EventOutbox(self.endpoint, Chaos(None), clock, self._ids("catalog", Roles()))
        for entry in self.catalog.values():
            await self._create_in_stripe(entry)
            outbox.emit("product.created", objects.product(entry, clock.tick()))
            outbox.emit("price.created", objects.price(entry, clock.tick()))
        await outbox.flush()
        return outbox.log.take()

    def customer_for(self, role: str, roles: Roles, chaos: Chaos) -> StripeCustomer:
        """A customer of this account, known in reports as `role`, its deliveries under `chaos`."""
        return StripeCustomer(self.api, self.endpoint, chaos, self._ids(role, roles))

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
