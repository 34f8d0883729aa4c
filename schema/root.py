"""The schema's root types and its assembly with the protections every deployment gets."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from graphql.error import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.types import ExecutionContext

from resolvers.viewer import resolve_viewer
from schema.errors import ContractErrors
from schema.types import Viewer


@strawberry.type
class Query:
    viewer: Viewer = strawberry.field(
        resolver=resolve_viewer, description="The signed-in user (UNAUTHENTICATED without a token)."
    )


class BillingSchema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged where they are classified (schema.errors), not here again."""


def build_schema(*, introspection: bool = True) -> strawberry.Schema:
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [ContractErrors]
    if not introspection:
        extensions.append(DisableIntrospection)
    return BillingSchema(query=Query, extensions=extensions)


def schema_sdl() -> str:
    """The SDL that `schema.graphql` at the repository root must match."""
    return build_schema().as_str() + "\n"
