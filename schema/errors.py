"""Every GraphQL error leaves with one of the contract's `extensions.code` values.

A `ServiceError` keeps its message and code; a document the server refuses to run (syntax,
validation) is `BAD_USER_INPUT` unless a limiter already tagged it; anything else is a bug, logged
with its traceback and masked as `INTERNAL_SERVER_ERROR`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from graphql.error import GraphQLError
from strawberry.extensions import SchemaExtension

from services.errors import ErrorCode, ServiceError

log = logging.getLogger(__name__)

CONTRACT_CODES = frozenset(code.value for code in ErrorCode)
MASKED_MESSAGE = "Internal server error."


def _with_code(error: GraphQLError, message: str, code: ErrorCode | str) -> GraphQLError:
    return GraphQLError(
        message=message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions={**(error.extensions or {}), "code": str(code)},
    )


def to_contract_error(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if isinstance(original, ServiceError):
        return _with_code(error, original.message, original.code)
    if isinstance(original, GraphQLError):
        return to_contract_error(original)
    existing = (error.extensions or {}).get("code")
    if original is None:
        if existing in CONTRACT_CODES:
            return error
        return _with_code(error, error.message, ErrorCode.BAD_USER_INPUT)
    log.error("unexpected error in resolver", exc_info=original)
    return _with_code(error, MASKED_MESSAGE, ErrorCode.INTERNAL_SERVER_ERROR)


class ContractErrors(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is not None and result.errors:
            result.errors = [to_contract_error(error) for error in result.errors]
