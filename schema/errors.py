"""Every GraphQL error leaves with one of the contract's `extensions.code` values (README).

A `ServiceError` keeps its message and code; a document over the parser's size limits is
`QUERY_TOO_COMPLEX`; a document the server refuses to run (syntax, validation) is `BAD_USER_INPUT`
unless a limiter already tagged it; anything else is a bug, logged with its traceback and masked
as `INTERNAL_SERVER_ERROR`.

The mapping runs on the final result (see schema.root.BillingSchema.execute), not in an extension
hook: a parse error raised inside an `on_parse` hook (ParserCache) skips the hooks' cleanup code.
That is also why strawberry's MaskErrors does not fit: it masks in such a hook (so a syntax error
would leave without a code), and the error it masks with has no `extensions` at all, where every
error here must carry a code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from graphql.error import GraphQLError

from schema.limits import exceeds_parser_limit
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


def to_contract_error(
    error: GraphQLError, reword: Callable[[str], str] | None = None
) -> GraphQLError:
    """`reword` applies to the messages the engine writes, not to the services' own."""
    original = error.original_error
    if isinstance(original, ServiceError):
        return _with_code(error, original.message, original.code)
    if isinstance(original, GraphQLError):
        return to_contract_error(original, reword)
    if original is None:
        existing = (error.extensions or {}).get("code")
        if existing in CONTRACT_CODES:
            code = existing
        elif exceeds_parser_limit(error):
            code = ErrorCode.QUERY_TOO_COMPLEX
        else:
            code = ErrorCode.BAD_USER_INPUT
        message = reword(error.message) if reword else error.message
        return _with_code(error, message, code)
    log.error("unexpected error in resolver", exc_info=original)
    return _with_code(error, MASKED_MESSAGE, ErrorCode.INTERNAL_SERVER_ERROR)
