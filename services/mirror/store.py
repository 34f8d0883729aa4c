"""The one write path of the mirror: newer-wins decided and applied in a single statement.

`INSERT ... ON CONFLICT (id) DO UPDATE ... WHERE stored version < new version` is atomic on both
SQLite and PostgreSQL: a first write inserts, a later one updates only when it is newer, and two
workers racing on one row serialize on the row itself (no read-then-write window), so they
converge to the newer snapshot whatever their timing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from services.mirror.ordering import Version
from services.sql import insert_statement, placeholders

VERSION_COLUMNS = ("source_created", "source_rank", "source_event_id")


def _version_tuple(connection: BaseDBAsyncClient, created: str, rank: str, event_id: str) -> str:
    # PostgreSQL would compare event ids by the database's locale; "C" keeps the byte order that
    # SQLite uses, so the tie-break is the same on both.
    collate = "" if connection.capabilities.dialect == "sqlite" else ' COLLATE "C"'
    return f"({created}, {rank}, {event_id}{collate})"


def _stored_version(connection: BaseDBAsyncClient, prefix: str) -> str:
    return _version_tuple(connection, *(f'{prefix}"{column}"' for column in VERSION_COLUMNS))


async def write_if_newer(
    connection: BaseDBAsyncClient,
    model: type[Model],
    values: Mapping[str, Any],
    version: Version,
) -> None:
    """Store `values` (one whole snapshot, primary key included) unless the row is as new."""
    row = {
        **values,
        "source_created": version.created,
        "source_rank": version.rank,
        "source_event_id": version.event_id,
        "updated_at": datetime.now(UTC),
    }
    insert, parameters = insert_statement(connection, model, row)
    meta = model._meta
    table, primary_key = meta.db_table, meta.db_pk_column
    assignments = ", ".join(
        f'"{column}" = excluded."{column}"'
        for column in (meta.fields_db_projection[name] for name in row)
        if column != primary_key
    )
    stored = _stored_version(connection, f'"{table}".')
    incoming = _stored_version(connection, "excluded.")
    await connection.execute_query(
        f'{insert} ON CONFLICT ("{primary_key}") DO UPDATE SET {assignments} '
        f"WHERE {stored} < {incoming}",
        parameters,
    )


async def delete_unlisted(
    connection: BaseDBAsyncClient,
    model: type[Model],
    *,
    owner_column: str,
    owner: str,
    listed_ids: Sequence[str],
    version: Version,
) -> None:
    """Delete the rows of `owner` that a complete listing at `version` no longer shows, unless a
    newer snapshot wrote them: for objects whose removal Stripe announces with no event."""
    meta = model._meta
    table, primary_key = meta.db_table, meta.db_pk_column
    owner_marker, *kept, created, rank, event_id = placeholders(connection, 4 + len(listed_ids))
    unlisted = f'AND "{primary_key}" NOT IN ({", ".join(kept)}) ' if kept else ""
    stored = _stored_version(connection, "")
    listing = _version_tuple(connection, created, rank, event_id)
    await connection.execute_query(
        f'DELETE FROM "{table}" WHERE "{owner_column}" = {owner_marker} {unlisted}'  # noqa: S608
        f"AND {stored} < {listing}",
        [owner, *listed_ids, version.created, version.rank, version.event_id],
    )
