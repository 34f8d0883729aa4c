"""Plain SQL statements in the connection's own dialect, for the writes the ORM cannot express.

The mirror's newer-wins upsert and the event log's claim are single `INSERT ... ON CONFLICT`
statements, and the hottest reads are one joined statement each; this module builds their
common parts, so both SQLite and PostgreSQL (asyncpg) run the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model


def placeholders(connection: BaseDBAsyncClient, count: int) -> list[str]:
    """Bind markers in the connection's own style (`?` for SQLite, `$n` for asyncpg)."""
    if connection.capabilities.dialect == "sqlite":
        return ["?"] * count
    return [f"${index}" for index in range(1, count + 1)]


@dataclass(frozen=True, slots=True)
class Computed:
    """A column value the database computes within the write itself, from bound `parameters`.

    Reading a value in the statement that stores it saves a round trip per event. `sql` holds
    one `{}` per parameter, replaced by the connection's bind markers.
    """

    sql: str
    parameters: tuple[Any, ...]


def insert_statement(
    connection: BaseDBAsyncClient, model: type[Model], row: Mapping[str, Any]
) -> tuple[str, list[Any]]:
    """`INSERT INTO "table" (columns) VALUES (...)` for one row, and its bind parameters."""
    meta = model._meta
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in row)
    count = sum(len(v.parameters) if isinstance(v, Computed) else 1 for v in row.values())
    markers = iter(placeholders(connection, count))
    expressions: list[str] = []
    parameters: list[Any] = []
    for name, value in row.items():
        if isinstance(value, Computed):
            expressions.append(value.sql.format(*(next(markers) for _ in value.parameters)))
            parameters.extend(value.parameters)
        else:
            expressions.append(next(markers))
            parameters.append(meta.fields_map[name].to_db_value(value, model))
    values = ", ".join(expressions)
    return f'INSERT INTO "{meta.db_table}" ({columns}) VALUES ({values})', parameters  # noqa: S608


def instant(value: datetime | str | None) -> datetime | None:
    """A stored instant, read by a plain statement, as an aware UTC datetime (as Tortoise reads it).

    SQLite hands back ISO text and asyncpg datetimes; the text is parsed with
    `datetime.fromisoformat`, which is faster than the iso8601 parser Tortoise uses.
    """
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
