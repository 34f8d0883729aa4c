"""Limits on what one GraphQL document may ask for, reported as QUERY_TOO_COMPLEX.

Parsing, validating and resolving cost grow with a document's size, depth and aliases, and a
single request could otherwise ask for thousands of Stripe-backed fields.

The token limit is strawberry's MaxTokensLimiter as it is. The depth and alias limits run
strawberry's own rules (the validators behind QueryDepthLimiter and MaxAliasesLimiter), but not
through those two extensions, which do not fit for two reasons: the errors they report carry no
`extensions.code`, so a client could not tell them from any other invalid document; and each
extension object builds new rule classes, while strawberry takes extensions as per-request
factories, so ValidationCache (keyed by the rule classes) would never hit. Here the rules are
built once and tag their errors with the code.
"""

from __future__ import annotations

from graphql import GraphQLError, GraphQLSyntaxError, TypeInfo, ValidationContext, ValidationRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.max_aliases import create_validator as alias_validator
from strawberry.extensions.query_depth_limiter import create_validator as depth_validator

from services.errors import ErrorCode

MAX_DEPTH = 8
MAX_ALIASES = 15
MAX_TOKENS = 2000
# Parsed and validated documents kept per process: a client's few documents stay warm, while
# a stream of distinct documents cannot grow memory.
DOCUMENT_CACHE_SIZE = 256
# graphql-core ends the messages of its own parser limits (tokens, nesting) with this.
_PARSER_LIMIT_SUFFIX = "Parsing aborted."


def exceeds_parser_limit(error: GraphQLError) -> bool:
    return isinstance(error, GraphQLSyntaxError) and error.message.endswith(_PARSER_LIMIT_SUFFIX)


def _too_complex(rule: type[ValidationRule]) -> type[ValidationRule]:
    """Run `rule` so that every error it reports carries the QUERY_TOO_COMPLEX code."""

    class TooComplex(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

            def report(error: GraphQLError) -> None:
                code = ErrorCode.QUERY_TOO_COMPLEX.value
                error.extensions = {**(error.extensions or {}), "code": code}
                context.report_error(error)

            rule(
                ValidationContext(
                    context.schema, context.document, TypeInfo(context.schema), report
                )
            )

    return TooComplex


_RULES = (
    _too_complex(depth_validator(MAX_DEPTH, should_ignore=None)),
    _too_complex(alias_validator(MAX_ALIASES)),
)


class ComplexityLimits(AddValidationRules):
    """The depth and alias limits; the same rule classes every request (see module docstring)."""

    def __init__(self) -> None:
        super().__init__(list(_RULES))


def token_limit() -> MaxTokensLimiter:
    return MaxTokensLimiter(max_token_count=MAX_TOKENS)
