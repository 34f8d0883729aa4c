"""Resolvers for portal blocks (public reads, admin writes) and the portal configuration (admin)."""

from __future__ import annotations

from resolvers.context import Context
from services.portal_blocks import BlockInput, PortalBlockView
from services.portal_configuration import PortalOptions, StoredConfiguration


async def portal_block(context: Context, block_id: str) -> PortalBlockView | None:
    return await context.services.blocks.get(block_id)


async def save_portal_block(context: Context, block: BlockInput) -> PortalBlockView:
    await context.require_admin()
    return await context.services.blocks.save(block)


async def portal_configuration(context: Context) -> StoredConfiguration | None:
    await context.require_admin()
    return await context.services.configurations.current()


async def configure_customer_portal(
    context: Context, options: PortalOptions
) -> StoredConfiguration:
    await context.require_admin()
    return await context.services.configurations.configure(options)
