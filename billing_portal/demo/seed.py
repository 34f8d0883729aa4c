"""What the demo needs before anyone can click through it, made on its first visit: a Customer
Portal block to show (when no block exists yet), and a portal configuration that offers every
action of the demo (when none is saved yet: Stripe's default offers no plan switch).

Both go through the same services the admin mutations use, so they pass the same checks. An
admin can change either afterwards (savePortalBlock, configureCustomerPortal); the seed never
overwrites what exists.
"""

from __future__ import annotations

import asyncio
import logging

from services.container import Services
from services.errors import ServiceError
from services.portal_blocks import BlockInput
from services.portal_configuration import PortalOptions

log = logging.getLogger(__name__)

DEMO_BLOCK_TITLE = "Manage your subscription"
DEMO_BLOCK_SUBTITLE = "Change plan, update your card or cancel, in Stripe's Customer Portal."


class DemoSeed:
    def __init__(self, services: Services) -> None:
        self._services = services
        # Two first visits at once must not save two blocks.
        self._lock = asyncio.Lock()

    async def portal_block_id(self, demo_url: str) -> str:
        """The block the demo shows: the oldest, else a new one that returns to `demo_url`."""
        async with self._lock:
            block = await self._services.blocks.oldest()
            if block is None:
                block = await self._services.blocks.save(
                    BlockInput(
                        title=DEMO_BLOCK_TITLE, subtitle=DEMO_BLOCK_SUBTITLE, redirect_url=demo_url
                    )
                )
            await self._configure_portal_once()
            return str(block.id)

    async def _configure_portal_once(self) -> None:
        """Customers may cancel at the period's end, switch among the recurring plans, change
        their card and read their invoices. Left for the next visit when Stripe cannot be
        reached: the demo works without it, its portal then offers Stripe's defaults."""
        if await self._services.configurations.current() is not None:
            return
        plans = await self._services.catalog.plans()
        switchable = tuple(plan.price_id for plan in plans if plan.recurring)
        options = PortalOptions(
            cancel_subscription=True,
            update_payment_method=True,
            update_subscription=len(switchable) > 1,
            invoice_history=True,
            update_customer_details=False,
            update_subscription_price_ids=switchable if len(switchable) > 1 else (),
        )
        try:
            await self._services.configurations.configure(options)
        except ServiceError as problem:
            log.warning("demo portal configuration not saved: %s", problem)
