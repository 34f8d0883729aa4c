"""The name a request's operation is counted under: only a name its document defines, and only
once the document validated. Operation names are whatever the caller writes, so a name from a
document the schema refused, or one the document does not define, says nothing about how the
API is used and is not passed on."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import DocumentNode, OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from resolvers.context import Context


def defined_operation_name(document: DocumentNode, requested: str | None) -> str | None:
    """The requested operation's name if the document defines it; with none requested, the
    name of the document's only operation."""
    names = [
        definition.name.value if definition.name else None
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode)
    ]
    if requested is None:
        return names[0] if len(names) == 1 else None
    return requested if requested in names else None


class ValidatedOperationName(SchemaExtension):
    """Tells the request's context the name of the operation it runs once its document
    validated."""

    def on_validate(self) -> Iterator[None]:
        yield
        execution = self.execution_context
        context = execution.context
        document = execution.graphql_document
        if execution.pre_execution_errors or document is None or not isinstance(context, Context):
            return
        context.operation_name = defined_operation_name(document, execution.operation_name)
