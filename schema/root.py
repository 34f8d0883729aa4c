"""The schema's root types and its assembly with the protections every deployment gets."""

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

from resolvers.catalog import resolve_plans
from resolvers.portal_admin import (
    configure_customer_portal,
    portal_block,
    portal_configuration,
    save_portal_block,
)
from resolvers.sessions import create_checkout_session, create_portal_session
from resolvers.viewer import resolve_viewer
from schema.errors import to_contract_error
from schema.limits import ComplexityLimits, token_limit
from schema.types import CheckoutSession, Plan, PortalBlock, PortalConfiguration, PortalSession
from schema.viewer import Viewer

DOCUMENT_CACHE_SIZE = 256


@strawberry.type
class Query:
    viewer: Viewer = strawberry.field(
        resolver=resolve_viewer, description="The signed-in user (UNAUTHENTICATED without a token)."
    )
    plans: list[Plan] = strawberry.field(
        resolver=resolve_plans, description="Active prices with their product (public)."
    )
    portal_block: PortalBlock | None = strawberry.field(
        resolver=portal_block, description="What a portal block shows (public)."
    )
    portal_configuration: PortalConfiguration | None = strawberry.field(
        resolver=portal_configuration, description="The saved portal configuration (admin)."
    )


@strawberry.type
class Mutation:
    create_checkout_session: CheckoutSession = strawberry.field(
        resolver=create_checkout_session,
        description="A Stripe Checkout Session for the viewer (creates their customer once).",
    )
    create_portal_session: PortalSession = strawberry.field(
        resolver=create_portal_session,
        description="A Customer Portal session for the viewer, who must have a billing account.",
    )
    save_portal_block: PortalBlock = strawberry.field(
        resolver=save_portal_block, description="Create or update a portal block (admin)."
    )
    configure_customer_portal: PortalConfiguration = strawberry.field(
        resolver=configure_customer_portal,
        description="Create, then update, the Stripe portal configuration (admin).",
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
