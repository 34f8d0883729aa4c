"""Resolvers for portal blocks (public reads, admin writes) and the portal configuration (admin)."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from schema.inputs import PortalBlockInput, PortalConfigurationInput
from schema.types import PortalBlock, PortalConfiguration
from services.portal_blocks import BlockInput, PortalBlockView
from services.portal_configuration import PortalOptions, StoredConfiguration


async def portal_block(info: Info, id: strawberry.ID) -> PortalBlock | None:
    view = await info.context.services.api.blocks.get(id)
    return _block(view) if view else None


async def save_portal_block(info: Info, input: PortalBlockInput) -> PortalBlock:
    info.context.require_admin()
    view = await info.context.services.api.blocks.save(
        BlockInput(
            id=input.id,
            title=input.title,
            subtitle=input.subtitle,
            background_image_url=input.background_image_url,
            redirect_url=input.redirect_url,
        )
    )
    return _block(view)


async def portal_configuration(info: Info) -> PortalConfiguration | None:
    info.context.require_admin()
    stored = await info.context.services.api.configurations.current()
    return _configuration(stored) if stored else None


async def configure_customer_portal(
    info: Info, input: PortalConfigurationInput
) -> PortalConfiguration:
    info.context.require_admin()
    options = PortalOptions(
        cancel_subscription=input.cancel_subscription,
        cancellation_mode=input.cancellation_mode or "at_period_end",
        update_payment_method=input.update_payment_method,
        update_subscription=input.update_subscription,
        update_subscription_price_ids=tuple(input.update_subscription_price_ids or ()),
        invoice_history=input.invoice_history,
        update_customer_details=input.update_customer_details,
        headline=input.headline,
        default_return_url=input.default_return_url,
    )
    return _configuration(await info.context.services.api.configurations.configure(options))


def _block(view: PortalBlockView) -> PortalBlock:
    return PortalBlock(
        id=strawberry.ID(str(view.id)),
        title=view.title,
        subtitle=view.subtitle,
        background_image_url=view.background_image_url,
        redirect_url=view.redirect_url,
    )


def _configuration(stored: StoredConfiguration) -> PortalConfiguration:
    options = stored.options
    return PortalConfiguration(
        id=stored.stripe_id,
        cancel_subscription=options.cancel_subscription,
        cancellation_mode=options.cancellation_mode,
        update_payment_method=options.update_payment_method,
        update_subscription=options.update_subscription,
        update_subscription_price_ids=list(options.update_subscription_price_ids),
        invoice_history=options.invoice_history,
        update_customer_details=options.update_customer_details,
        headline=options.headline,
        default_return_url=options.default_return_url,
    )
