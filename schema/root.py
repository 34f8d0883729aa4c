"""The schema's root types and its assembly with the protections every deployment gets.

Each field's function declares its GraphQL arguments, turns inputs into service requests, calls
its resolver and turns the service value it gets back into the GraphQL type.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import AsyncGenerator, Callable, Iterable
from typing import Any

import strawberry
from graphql.error import GraphQLError
from strawberry.exceptions import MissingQueryError
from strawberry.extensions import DisableIntrospection, ParserCache, SchemaExtension
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.schema.schema import StreamResult
from strawberry.types import ExecutionContext, ExecutionResult
from strawberry.types.graphql import OperationType
from strawberry.utils.aio import aclosing

from resolvers import access_groups, catalog, live, portal_admin, sessions, viewer
from schema.enums import AccessCondition
from schema.errors import to_contract_error
from schema.info import Info
from schema.inputs import (
    AccessGroupInput,
    CheckoutInput,
    PortalBlockInput,
    PortalConfigurationInput,
    PortalSessionInput,
)
from schema.limits import DOCUMENT_CACHE_SIZE, ComplexityLimits, token_limit
from schema.mapping import copy_fields
from schema.operation_names import ValidatedOperationName
from schema.privacy import CachedValidation, PrivateNames, QuietExecutor, written_names
from schema.types import (
    AccessGroup,
    CheckoutSession,
    Plan,
    PortalBlock,
    PortalConfiguration,
    PortalSession,
)
from schema.viewer import Viewer
from services.access_groups import GroupDefinition
from services.portal_blocks import PortalBlockView
from services.portal_configuration import StoredConfiguration

NO_SUCH_OPERATION = "The document has no operation of the requested operationName."
NO_OPERATION = "The document has no operation."


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


async def _confirm_checkout(info: Info, session_id: strawberry.ID) -> Viewer:
    return Viewer.of(await sessions.confirm_checkout(info.context, session_id))


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


async def _access_groups(info: Info) -> list[AccessGroup]:
    return [_group(group) for group in await access_groups.access_groups(info.context)]


async def _save_access_group(info: Info, input: AccessGroupInput) -> AccessGroup:
    return _group(await access_groups.save_access_group(info.context, input.request()))


async def _delete_access_group(info: Info, key: str) -> bool:
    return await access_groups.delete_access_group(info.context, key)


async def _billing_changed(info: Info) -> AsyncGenerator[Viewer, None]:
    async for user in live.billing_states(info.context):
        yield Viewer.of(user)


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
    access_groups: list[AccessGroup] = strawberry.field(
        resolver=_access_groups, description="Every access group, by key (admin)."
    )


@strawberry.type
class Mutation:
    create_checkout_session: CheckoutSession = strawberry.field(
        resolver=_create_checkout_session,
        description="A Stripe Checkout Session for the viewer (creates their customer once).",
    )
    confirm_checkout: Viewer = strawberry.field(
        resolver=_confirm_checkout,
        description=(
            "The viewer with the purchase of the Checkout Session the browser came back with "
            "(the success URL's {CHECKOUT_SESSION_ID}), without waiting for Stripe's webhooks. "
            "NOT_FOUND unless the session is the viewer's; BAD_USER_INPUT, changing nothing, for "
            "a malformed id or a session that is open, expired or not paid yet."
        ),
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
    save_access_group: AccessGroup = strawberry.field(
        resolver=_save_access_group, description="Create or replace an access group (admin)."
    )
    delete_access_group: bool = strawberry.field(
        resolver=_delete_access_group,
        description="Delete an access group (admin); NOT_FOUND if there is none.",
    )


@strawberry.type(
    description="Live updates, over the graphql-transport-ws WebSocket protocol at /graphql."
)
class LiveUpdates:
    billing_changed: AsyncGenerator[Viewer, None] = strawberry.subscription(
        resolver=_billing_changed,
        description=(
            "The viewer at once, then each time their billing changes (a webhook, a confirmed "
            "Checkout, a sync); changes close together arrive once. The token goes in "
            "connection_init's payload."
        ),
    )


def _block(view: PortalBlockView) -> PortalBlock:
    return copy_fields(PortalBlock, view, id=strawberry.ID(str(view.id)))


def _group(group: GroupDefinition) -> AccessGroup:
    return copy_fields(
        AccessGroup,
        group,
        condition=AccessCondition(group.condition),
        product_ids=list(group.product_ids),
    )


def _configuration(stored: StoredConfiguration) -> PortalConfiguration:
    return copy_fields(
        PortalConfiguration,
        stored.options,
        id=stored.stripe_id,
        update_subscription_price_ids=list(stored.options.update_subscription_price_ids),
    )


@dataclasses.dataclass
class RequestedOperation(ExecutionContext):
    """The operation is the one the request names, or none: strawberry's context names a
    document's first operation when the request names none, so a document of several
    operations would run its first one, where graphql-core refuses it without a name."""

    def __post_init__(self, provided_operation_name: str | None) -> None:
        super().__post_init__(provided_operation_name)
        self.requested_operation_name = provided_operation_name

    @property
    def operation_name(self) -> str | None:
        return self.requested_operation_name


class BillingSchema(strawberry.Schema):
    """The schema with the protections every deployment gets; a `private` one (prod's) also
    keeps itself to itself: no introspection, and errors that name nothing of it the request
    did not name (schema.privacy)."""

    def __init__(self, *, private: bool) -> None:
        extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
            token_limit,
            ComplexityLimits,
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: CachedValidation(hide_suggestions=private),
            ValidatedOperationName,
        ]
        if private:
            extensions.append(DisableIntrospection)
        super().__init__(
            query=Query,
            mutation=Mutation,
            subscription=LiveUpdates,
            extensions=extensions,
            execution_context_class=QuietExecutor if private else None,
        )
        self.private_names = PrivateNames.of(self._schema) if private else None

    def _create_execution_context(
        self,
        query: str | None,
        allowed_operation_types: Iterable[OperationType],
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionContext:
        """Strawberry's one place for the context class, needed for RequestedOperation."""
        return RequestedOperation(
            query=query,
            schema=self,
            allowed_operations=allowed_operation_types,
            context=context_value,
            root_value=root_value,
            variables=variable_values,
            provided_operation_name=operation_name,
            operation_extensions=operation_extensions,
        )

    async def execute(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
        operation_extensions: dict[str, Any] | None = None,
    ) -> ExecutionResult:
        """Every error leaves with a contract code, whichever stage produced it; an operation
        the document lacks is one of them (strawberry raises it for its HTTP view to answer
        in plain text)."""
        try:
            result = await super().execute(
                query,
                variable_values,
                context_value,
                root_value,
                operation_name,
                allowed_operation_types,
                operation_extensions,
            )
        except CannotGetOperationTypeError:
            missing = NO_OPERATION if operation_name is None else NO_SUCH_OPERATION
            result = ExecutionResult(data=None, errors=[GraphQLError(missing)])
        if result.errors:
            reword = self._rewording(query, variable_values)
            result.errors = [to_contract_error(error, reword) for error in result.errors]
        return result

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[OperationType] | None = None,
    ) -> StreamResult:
        """The WebSocket's operations: subscriptions only (queries and mutations are POSTed,
        under the endpoint's limits), every error with a contract code, as in `execute`."""
        results = await super().stream(
            query,
            variable_values,
            context_value,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types=(OperationType.SUBSCRIPTION,),
        )
        return self._with_contract_errors(results, self._rewording(query, variable_values))

    @staticmethod
    async def _with_contract_errors(
        results: StreamResult, reword: Callable[[str], str] | None
    ) -> StreamResult:
        async with aclosing(results):
            async for result in results:
                if isinstance(result, ExecutionResult) and result.errors:
                    result.errors = [
                        to_contract_error(_as_request_error(error), reword)
                        for error in result.errors
                    ]
                yield result

    def _rewording(
        self, query: str | None, variables: dict[str, Any] | None
    ) -> Callable[[str], str] | None:
        if self.private_names is None:
            return None
        return functools.partial(self.private_names.hidden, written=written_names(query, variables))

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged where they are classified (schema.errors), not here again."""


REQUEST_ERRORS = (CannotGetOperationTypeError, InvalidOperationTypeError, MissingQueryError)


def _as_request_error(error: GraphQLError) -> GraphQLError:
    """Strawberry wraps what is wrong with the request itself (no such operation, or one of a
    kind the transport does not run) around its own exceptions: they are the caller's to fix."""
    if isinstance(error.original_error, REQUEST_ERRORS):
        return GraphQLError(error.message)
    return error


def schema_sdl() -> str:
    """The SDL that `schema.graphql` at the repository root must match."""
    return BillingSchema(private=False).as_str() + "\n"
