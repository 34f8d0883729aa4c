"""Resolvers for portal blocks (public reads, admin writes) and the portal configuration (admin)."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.mapping import copy_fields
from schema.inputs import PortalBlockInput, PortalConfigurationInput
from schema.types import PortalBlock, PortalConfiguration
from services.portal_blocks import BlockInput, PortalBlockView
from services.portal_configuration import PortalOptions, StoredConfiguration


async def portal_block(info: Info, id: strawberry.ID) -> PortalBlock | None:
    view = await info.context.services.api.blocks.get(id)
    return _block(view) if view else None


async def save_portal_block(info: Info, input: PortalBlockInput) -> PortalBlock:
    info.context.require_admin()
    view = await info.context.services.api.blocks.save(copy_fields(BlockInput, input))
    return _block(view)


async def portal_configuration(info: Info) -> PortalConfiguration | None:
    info.context.require_admin()
    stored = await info.context.services.api.configurations.current()
    return _configuration(stored) if stored else None


async def configure_customer_portal(
    info: Info, input: PortalConfigurationInput
) -> PortalConfiguration:
    info.context.require_admin()
    options = copy_fields(
        PortalOptions,
        input,
        cancellation_mode=input.cancellation_mode or "at_period_end",
        update_subscription_price_ids=tuple(input.update_subscription_price_ids or ()),
    )
    return _configuration(await info.context.services.api.configurations.configure(options))


def _block(view: PortalBlockView) -> PortalBlock:
    return copy_fields(PortalBlock, view, id=strawberry.ID(str(view.id)))


def _configuration(stored: StoredConfiguration) -> PortalConfiguration:
    return copy_fields(
        PortalConfiguration,
        stored.options,
        id=stored.stripe_id,
        update_subscription_price_ids=list(stored.options.update_subscription_price_ids),
    )
