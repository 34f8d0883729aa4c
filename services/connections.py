"""Reads outside a transaction run on a connection of their own, so they never queue behind a
writer.

On SQLite a writer that waits for the file's write lock (held by another process) keeps its
connection busy meanwhile, and every statement of this process queued behind it: a `viewer`
query waited seconds for a webhook that was itself waiting. A second connection to the same
file, under WAL journaling, reads the last committed state whatever the writers do. On
PostgreSQL reads never wait for row locks, and their own pool keeps them from waiting for a
connection that writers hold.

Reads inside a transaction stay on the transaction's connection: they must see its writes.
"""

from __future__ import annotations

from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient, TransactionalDBClient
from tortoise.models import Model

WRITE_CONNECTION = "default"
READ_CONNECTION = "reads"


def read_connection(model: type[Model]) -> BaseDBAsyncClient:
    """Where a read of `model` runs now (plain SQL asks here; model queries are routed here)."""
    current = model._meta.db
    if isinstance(current, TransactionalDBClient) or READ_CONNECTION not in connections.db_config:
        return current
    reader: BaseDBAsyncClient = connections.get(READ_CONNECTION)
    return reader


class ReadRouter:
    """Tortoise's router: model reads go to `read_connection`, writes to the models' own."""

    def db_for_read(self, model: type[Model]) -> Any:
        return read_connection(model).connection_name

    def db_for_write(self, model: type[Model]) -> Any:
        return None
