"""The catalog a Pricing block renders and checkout accepts: the local Product/Price mirror.

Webhooks (`product.*`, `price.*`) and `billing-portal sync` keep the mirror fresh. A new
deployment whose mirror is still empty fills it once from Stripe, so plans show up before the
first catalog webhook arrives; it stores the rows the way a sync does (services.sync), through
the catalog webhook handlers and their newer-wins write. The public list is cached for a few
seconds because every visitor of a pricing page asks for it; checkout reads the rows themselves
so it never accepts a price that was just retired.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from services.errors import BadUserInput
from services.models import Price, Product
from services.stripe_gateway import StripeGateway
from services.sync import MirrorSync
from services.webhooks.store import placeholders

CheckoutMode = Literal["subscription", "payment"]
PLANS_CACHE_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class PlanView:
    price_id: str
    product_id: str
    name: str
    unit_amount: int | None
    currency: str
    interval: str | None
    interval_count: int | None
    nickname: str | None

    @property
    def recurring(self) -> bool:
        return self.interval is not None


class Catalog:
    def __init__(
        self,
        stripe_gateway: StripeGateway,
        *,
        cache_seconds: float = PLANS_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sync = MirrorSync(stripe_gateway)
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: tuple[float, list[PlanView]] | None = None
        self._hydrated = False
        self._hydrating = asyncio.Lock()

    async def plans(self) -> list[PlanView]:
        """Active prices of active products, cheapest first within each product."""
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < self._cache_seconds:
            return self._cached[1]
        await self._ensure_hydrated()
        prices = await Price.filter(active=True, deleted=False).order_by("unit_amount", "id")
        products = await _products_of(prices)
        plans = [
            _plan(price, products.get(price.product_id))
            for price in prices
            if _sellable_product(products.get(price.product_id))
        ]
        plans.sort(key=lambda plan: plan.name)
        self._cached = (now, plans)
        return plans

    async def purchasable(self, price_id: str, mode: CheckoutMode) -> PlanView:
        """The price a checkout in `mode` may sell, or BAD_USER_INPUT saying why not."""
        await self._ensure_hydrated()
        plan = await _sellable_plan(price_id)
        if plan is None:
            raise BadUserInput(f"priceId {price_id!r} is not an available plan.")
        if mode == "subscription" and not plan.recurring:
            raise BadUserInput("This price is a one-time price: use mode PAYMENT.")
        if mode == "payment" and plan.recurring:
            raise BadUserInput("This price is recurring: use mode SUBSCRIPTION.")
        return plan

    async def by_price_ids(self, price_ids: Sequence[str]) -> list[PlanView | None]:
        """Each price (retired ones too, a subscription may still be on one), in order."""
        prices = {price.id: price for price in await Price.filter(id__in=list(price_ids))}
        products = await _products_of(prices.values())
        return [
            _plan(prices[price_id], products.get(prices[price_id].product_id))
            if price_id in prices
            else None
            for price_id in price_ids
        ]

    async def _ensure_hydrated(self) -> None:
        if self._hydrated:
            return
        async with self._hydrating:
            if not self._hydrated and not await Price.exists():
                await self._sync.active_catalog()
            self._hydrated = True


async def _products_of(prices: Iterable[Price]) -> dict[str, Product]:
    product_ids = {price.product_id for price in prices}
    if not product_ids:
        return {}
    return {product.id: product for product in await Product.filter(id__in=list(product_ids))}


async def _sellable_plan(price_id: str) -> PlanView | None:
    """The price if it is active and its product is sellable (`_sellable_product`), else None.

    One joined statement, not a price then a product look-up: every checkout asks, and each
    ORM query cost about a tenth of a checkout's server time.
    """
    connection = Price._meta.db
    [marker] = placeholders(connection, 1)
    rows = await connection.execute_query_dict(
        'SELECT price."id", price."product_id", price."unit_amount", price."currency", '  # noqa: S608
        'price."interval", price."interval_count", price."nickname", '
        'product."id" AS "known_product", product."name" AS "product_name" '
        f'FROM "{Price._meta.db_table}" AS price LEFT JOIN "{Product._meta.db_table}" AS product '
        'ON product."id" = price."product_id" '
        f'WHERE price."id" = {marker} AND price."active" AND NOT price."deleted" '
        'AND (product."id" IS NULL OR (product."active" AND NOT product."deleted"))',
        [price_id],
    )
    if not rows:
        return None
    [row] = rows
    return PlanView(
        price_id=row["id"],
        product_id=row["product_id"],
        name=_name(
            row["product_name"] if row["known_product"] else None,
            row["nickname"],
            row["product_id"],
        ),
        unit_amount=row["unit_amount"],
        currency=row["currency"],
        interval=row["interval"],
        interval_count=row["interval_count"],
        nickname=row["nickname"],
    )


def _sellable_product(product: Product | None) -> bool:
    """An unknown product (its event has not arrived yet) does not hide its prices."""
    return product is None or (product.active and not product.deleted)


def _plan(price: Price, product: Product | None) -> PlanView:
    return PlanView(
        price_id=price.id,
        product_id=price.product_id,
        name=_name(product.name if product else None, price.nickname, price.product_id),
        unit_amount=price.unit_amount,
        currency=price.currency,
        interval=price.interval,
        interval_count=price.interval_count,
        nickname=price.nickname,
    )


def _name(product_name: str | None, nickname: str | None, product_id: str) -> str:
    """The product's name; before the product is known, the price's nickname or its product id."""
    return product_name if product_name is not None else (nickname or product_id)
