"""The plans a Pricing block renders and checkout may sell, read from the mirror.

Webhooks (`product.*`, `price.*`) and `billing-portal sync` keep the mirror fresh. A new
deployment whose mirror is still empty fills it once from Stripe, so plans show up before the
first catalog webhook arrives; it stores the rows the way a sync does, through the catalog
handlers and their newer-wins write. The public list is cached for a few seconds because every
visitor of a pricing page asks for it; checkout reads the rows themselves so it never accepts a
price that was just retired.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Literal

from services.errors import BadUserInput
from services.mirror.plans import PlanView, known_product_ids, sellable_plan, sellable_plans
from services.mirror.sync import MirrorSync
from services.models import Price
from services.text import storable

CheckoutMode = Literal["subscription", "payment"]
PLANS_CACHE_SECONDS = 5.0


class Catalog:
    def __init__(
        self,
        sync: MirrorSync,
        *,
        cache_seconds: float = PLANS_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sync = sync
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: tuple[float, list[PlanView]] | None = None
        self._hydrated = False
        self._hydrating = asyncio.Lock()

    async def plans(self) -> list[PlanView]:
        """The sellable plans, by name, cheapest first within a name."""
        now = self._clock()
        if self._cached is not None and now - self._cached[0] < self._cache_seconds:
            return self._cached[1]
        await self._ensure_hydrated()
        plans = await sellable_plans()
        self._cached = (now, plans)
        return plans

    async def purchasable(self, price_id: str, mode: CheckoutMode) -> PlanView:
        """The price a checkout in `mode` may sell, or BAD_USER_INPUT saying why not."""
        await self._ensure_hydrated()
        plan = await sellable_plan(price_id) if storable(price_id) else None
        if plan is None:
            raise BadUserInput(f"priceId {price_id!r} is not an available plan.")
        if mode == "subscription" and not plan.recurring:
            raise BadUserInput("This price is a one-time price: use mode PAYMENT.")
        if mode == "payment" and plan.recurring:
            raise BadUserInput("This price is recurring: use mode SUBSCRIPTION.")
        return plan

    async def known_products(self, product_ids: Sequence[str]) -> set[str]:
        """Those of `product_ids` that the catalog has (retired ones too)."""
        await self._ensure_hydrated()
        return await known_product_ids(product_ids)

    async def _ensure_hydrated(self) -> None:
        if self._hydrated:
            return
        async with self._hydrating:
            if not self._hydrated and not await Price.exists():
                await self._sync.active_catalog()
            self._hydrated = True
