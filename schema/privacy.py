"""What the engine's errors may say about a private schema (prod's).

Turning introspection off hides nothing if error messages hand the schema out piece by piece:
graphql-core answers a misspelled field, argument, type, enum value or input field with "Did you
mean ...?", and even without suggestions its messages name the type a field belongs to, the enum
a value was checked against, and the argument or input field the request left out (so
misspelling a required name still tells its right spelling). A private schema therefore:

- runs validation and variable coercion with graphql-core's `hide_suggestions` switch on;
- rewrites every message the engine itself wrote (parsing, validation, operation selection,
  variable coercion, not the services' messages) so that any name the schema defines and the
  request did not contain becomes `…`, and drops the one suggestion the switch leaves (a missing
  selection's "Did you mean 'field { ... }'?"). Names are matched as words, not as the quoted
  parts of a message, so text a caller controls (quotes inside a value) cannot shift what is
  hidden; the price is that a schema name which is also a word of the sentence ("name",
  "limit", "input") is hidden there too. The names of the scalars every schema has stay, so
  "Int cannot represent ..." still says what is wrong.

Validation is cached here rather than by strawberry's ValidationCache, which has no way to pass
the switch; it adds the two rules strawberry's own validation adds (MaybeNull, OneOf).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    specified_directives,
    specified_scalar_types,
    validate,
)
from graphql.execution import Executor
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from schema.limits import DOCUMENT_CACHE_SIZE

HIDDEN = "…"
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_SUGGESTION = re.compile(r" ?Did you mean [^?]*\?")


@lru_cache(maxsize=DOCUMENT_CACHE_SIZE)
def _validate(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    strawberry_rules = (MaybeNullValidationRule, OneOfInputValidationRule)
    return validate(
        schema, document, (*rules, *strawberry_rules), hide_suggestions=hide_suggestions
    )


class CachedValidation(SchemaExtension):
    """Validates each document once (per rule set), with or without suggestions."""

    def __init__(self, *, hide_suggestions: bool) -> None:
        super().__init__()
        self.hide_suggestions = hide_suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validate(
            context.schema._schema,
            context.graphql_document,
            context.validation_rules,
            self.hide_suggestions,
        )
        yield


class QuietExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor with suggestions off in variable coercion errors."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> list[GraphQLError] | Executor[Any]:
        return super().build(*args, **{**kwargs, "hide_suggestions": True})


def _defined_names(schema: GraphQLSchema) -> frozenset[str]:
    names: set[str] = set()
    for type_name, named in schema.type_map.items():
        if type_name.startswith("__") or type_name in specified_scalar_types:
            continue
        names.add(type_name)
        if isinstance(named, GraphQLEnumType):
            names.update(named.values)
        elif isinstance(named, GraphQLInputObjectType):
            names.update(named.fields)
        elif isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                names.add(field_name)
                names.update(field.args)
    for directive in schema.directives:
        if directive not in specified_directives:
            names.add(directive.name)
            names.update(directive.args)
    return frozenset(names)


def _strings(value: object) -> Iterator[str]:
    """Every key and string in a JSON value, walked without recursion (values may nest deep)."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            yield from (key for key in item if isinstance(key, str))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


def written_names(query: str | None, variables: Mapping[str, Any] | None) -> frozenset[str]:
    """The names a request contains: those of its document and of its variables."""
    texts = [query or "", *_strings(variables or {})]
    return frozenset(name for text in texts for name in _NAME.findall(text))


@dataclass(frozen=True)
class PrivateNames:
    """The names of a private schema, which an engine's message may quote only back to a
    request that contained them."""

    defined: frozenset[str]

    @classmethod
    def of(cls, schema: GraphQLSchema) -> PrivateNames:
        return cls(_defined_names(schema))

    def hidden(self, message: str, written: frozenset[str]) -> str:
        """`message` with each of these names `written` lacks hidden, and no suggestion."""

        def hide(match: re.Match[str]) -> str:
            name = match.group()
            return HIDDEN if name in self.defined and name not in written else name

        return _NAME.sub(hide, _SUGGESTION.sub("", message))
