"""The mirror's writes, found in the handlers' source, and two wrappers of one write.

Every handler stores one snapshot with `write_if_newer(connection, Model, values, version)`,
`values` being a dict literal: reading the handler modules' syntax trees lists every field the
mirror keeps, so a field a handler gains becomes a mutant without anyone listing it. The
wrappers act at the database: `freezing` keeps a stored column as it was (a field that never
updates), and `ChangeRecorder` notes which stored fields any write actually changed.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

import services.mirror.handlers as handlers_package
from services.mirror.ordering import Version
from services.sql import placeholders

WRITE = "write_if_newer"
Write = Callable[[BaseDBAsyncClient, type[Model], Mapping[str, Any], Version], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class HandlerWrite:
    """One `write_if_newer` call of a handler module: the model and the fields it stores."""

    module: ModuleType
    model: str
    fields: tuple[str, ...]


def handler_writes() -> list[HandlerWrite]:
    writes = []
    for info in pkgutil.iter_modules(handlers_package.__path__):
        module = importlib.import_module(f"{handlers_package.__name__}.{info.name}")
        if not hasattr(module, WRITE):
            continue
        tree = ast.parse(_source(module))
        for function in ast.walk(tree):
            if isinstance(function, ast.AsyncFunctionDef | ast.FunctionDef):
                writes += [
                    HandlerWrite(module, model, fields) for model, fields in _writes_in(function)
                ]
    return writes


def _source(module: ModuleType) -> str:
    assert module.__file__ is not None
    with open(module.__file__, encoding="utf-8") as file:
        return file.read()


def _writes_in(
    function: ast.AsyncFunctionDef | ast.FunctionDef,
) -> list[tuple[str, tuple[str, ...]]]:
    """(model, fields) of each write in `function`, its values a dict literal or a name bound
    to one in the same function."""
    literals = {
        target.id: node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and _named(node.func) == WRITE and len(node.args) >= 3):
            continue
        model, values = node.args[1], node.args[2]
        literal = literals.get(values.id) if isinstance(values, ast.Name) else values
        if not (isinstance(model, ast.Name) and isinstance(literal, ast.Dict)):
            raise ValueError(f"{function.name}: a {WRITE} call this scan cannot read")
        keys = [key.value for key in literal.keys if isinstance(key, ast.Constant)]
        found.append((model.id, tuple(str(key) for key in keys if key != "id")))
    return found


def _named(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


async def _stored_row(
    connection: BaseDBAsyncClient, model: type[Model], object_id: Any
) -> dict[str, Any] | None:
    meta = model._meta
    (marker,) = placeholders(connection, 1)
    rows = await connection.execute_query_dict(
        f'SELECT * FROM "{meta.db_table}" WHERE "{meta.db_pk_column}" = {marker}',
        [object_id],
    )
    return rows[0] if rows else None


AfterWrite = Callable[
    [BaseDBAsyncClient, type[Model], Mapping[str, Any], dict[str, Any]], Awaitable[None]
]


def _around(original: Write, after: AfterWrite) -> Write:
    """`original`, then `after(connection, model, values, stored row before)` when a row was
    already stored."""

    async def write(
        connection: BaseDBAsyncClient,
        model: type[Model],
        values: Mapping[str, Any],
        version: Version,
    ) -> None:
        before = await _stored_row(connection, model, values["id"])
        await original(connection, model, values, version)
        if before is not None:
            await after(connection, model, values, before)

    return write


def freezing(original: Write, model_name: str, field_name: str) -> Write:
    """`original`, except that a stored row keeps the value it had of `field_name`."""

    async def restore(
        connection: BaseDBAsyncClient,
        model: type[Model],
        values: Mapping[str, Any],
        before: dict[str, Any],
    ) -> None:
        if model.__name__ != model_name or field_name not in values:
            return
        meta = model._meta
        column = meta.fields_db_projection[field_name]
        kept, key = placeholders(connection, 2)
        await connection.execute_query(
            f'UPDATE "{meta.db_table}" SET "{column}" = {kept} WHERE "{meta.db_pk_column}" = {key}',
            [before[column], values["id"]],
        )

    return _around(original, restore)


@dataclass
class ChangeRecorder:
    """Notes `Model.field` whenever a write changes a stored row's value of that field."""

    changed: set[str] = field(default_factory=set)

    def wrap(self, original: Write) -> Write:
        return _around(original, self._compare)

    async def _compare(
        self,
        connection: BaseDBAsyncClient,
        model: type[Model],
        values: Mapping[str, Any],
        before: dict[str, Any],
    ) -> None:
        after = await _stored_row(connection, model, values["id"]) or {}
        projection = model._meta.fields_db_projection
        for name in values:
            if before.get(projection[name]) != after.get(projection[name]):
                self.changed.add(f"{model.__name__}.{name}")
