"""The schema's root types and its assembly with the protections every deployment gets.

Each field's function declares its GraphQL arguments, turns inputs into service requests, calls
its resolver and turns the service value it gets back into the GraphQL type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.types import ExecutionContext, ExecutionResult

from resolvers import catalog, portal_admin, sessions, viewer
from schema.errors import to_contract_error
from schema.info import Info
from schema.inputs import (
    CheckoutInput,
    PortalBlockInput,
    PortalConfigurationInput,
    PortalSessionInput,
)
from schema.limits import ComplexityLimits, token_limit
from schema.mapping import copy_fields
from schema.types import CheckoutSession, Plan, PortalBlock, PortalConfiguration, PortalSession
from schema.viewer import Viewer
from services.portal_blocks import PortalBlockView
from services.portal_configuration import StoredConfiguration

DOCUMENT_CACHE_SIZE = 256


async def _viewer(info: Info) -> Viewer:
    return Viewer.of(await viewer.signed_in_user(info.context))


async def _plans(info: Info) -> list[Plan]:
    return [copy_fields(Plan, plan) for plan in await catalog.plans(info.context)]


async def _portal_block(info: Info, id: strawberry.ID) -> PortalBlock | None:
    block = await portal_admin.portal_block(info.context, id)
    return _block(block) if block else None


async def _portal_configuration(info: Info) -> PortalConfiguration | None:
    stored = await portal_admin.portal_configuration(info.context)
    return _configuration(stored) if stored else None


async def _create_checkout_session(info: Info, input: CheckoutInput) -> CheckoutSession:
    session = await sessions.create_checkout_session(info.context, input.request())
    return copy_fields(CheckoutSession, session)


async def _create_portal_session(info: Info, input: PortalSessionInput) -> PortalSession:
    session = await sessions.create_portal_session(
        info.context,
        block_id=input.block_id,
        return_url=input.return_url,
        flow=input.flow.value if input.flow else None,
    )
    return copy_fields(PortalSession, session)


async def _save_portal_block(info: Info, input: PortalBlockInput) -> PortalBlock:
    return _block(await portal_admin.save_portal_block(info.context, input.request()))


async def _configure_customer_portal(
    info: Info, input: PortalConfigurationInput
) -> PortalConfiguration:
    return _configuration(
        await portal_admin.configure_customer_portal(info.context, input.request())
    )


@strawberry.type
class Query:
    viewer: Viewer = strawberry.field(
        resolver=_viewer, description="The signed-in user (UNAUTHENTICATED without a token)."
    )
    plans: list[Plan] = strawberry.field(
        resolver=_plans, description="Active prices with their product (public)."
    )
    portal_block: PortalBlock | None = strawberry.field(
        resolver=_portal_block, description="What a portal block shows (public)."
    )
    portal_configuration: PortalConfiguration | None = strawberry.field(
        resolver=_portal_configuration, description="The saved portal configuration (admin)."
    )


@strawberry.type
class Mutation:
    create_checkout_session: CheckoutSession = strawberry.field(
        resolver=_create_checkout_session,
        description="A Stripe Checkout Session for the viewer (creates their customer once).",
    )
    create_portal_session: PortalSession = strawberry.field(
        resolver=_create_portal_session,
        description="A Customer Portal session for the viewer, who must have a billing account.",
    )
    save_portal_block: PortalBlock = strawberry.field(
        resolver=_save_portal_block, description="Create or update a portal block (admin)."
    )
    configure_customer_portal: PortalConfiguration = strawberry.field(
        resolver=_configure_customer_portal,
        description="Create, then update, the Stripe portal configuration (admin).",
    )


def _block(view: PortalBlockView) -> PortalBlock:
    return copy_fields(PortalBlock, view, id=strawberry.ID(str(view.id)))


def _configuration(stored: StoredConfiguration) -> PortalConfiguration:
    return copy_fields(
        PortalConfiguration,
        stored.options,
        id=stored.stripe_id,
        update_subscription_price_ids=list(stored.options.update_subscription_price_ids),
    )


class BillingSchema(strawberry.Schema):
    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        """Every error leaves with a contract code, whichever stage produced it."""
        result = await super().execute(*args, **kwargs)
        if result.errors:
            result.errors = [to_contract_error(error) for error in result.errors]
        return result

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged where they are classified (schema.errors), not here again."""


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        token_limit,
        ComplexityLimits,
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
    ]
    if not introspection:
        extensions.append(DisableIntrospection)
    return BillingSchema(query=Query, mutation=Mutation, extensions=extensions)


def schema_sdl() -> str:
    """The SDL that `schema.graphql` at the repository root must match."""
    return build_schema().as_str() + "\n"
