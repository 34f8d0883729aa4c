"""A whole SQLite transaction in one hand-off to aiosqlite's thread.

aiosqlite runs every statement on its own thread, and each hand-off (a queue put, a thread
wake-up, the GIL handed back and forth, a future resolved on the event loop) costs more CPU
than SQLite takes to run a small statement. A batch of events is dozens of statements, so it
runs in one hand-off: BEGIN, the statements and COMMIT are executed by the thread directly on
the sqlite3 connection. The statements are the same async code that runs on PostgreSQL, given
a connection whose awaits complete at once (`ThreadStatements`), so the coroutine runs to its
end on the thread without an event loop; one that would wait is a bug, and fails loudly.

The client's own lock is held meanwhile, as Tortoise holds it for a transaction, so no other
query of this process interleaves with the batch.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TypeVar

import aiosqlite
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.sqlite.client import SqliteClient
from tortoise.backends.sqlite.executor import SqliteExecutor
from tortoise.exceptions import IntegrityError, OperationalError

T = TypeVar("T")
Work = Callable[[BaseDBAsyncClient], Coroutine[Any, Any, T]]


class ThreadStatements(BaseDBAsyncClient):
    """The statements of a transaction in progress, run directly on aiosqlite's thread.

    Errors are Tortoise's, as the client's own would be, so an event's stored error reads the
    same whichever way it was applied.
    """

    executor_class = SqliteExecutor
    query_class = SqliteClient.query_class
    capabilities = SqliteClient.capabilities

    def __init__(self, connection: sqlite3.Connection, connection_name: str) -> None:
        super().__init__(connection_name=connection_name)
        self._sqlite = connection

    async def execute_query(
        self, query: str, values: list[Any] | None = None
    ) -> tuple[int, Sequence[dict[str, Any]]]:
        before = self._sqlite.total_changes
        try:
            rows = self._sqlite.execute(query, values or []).fetchall()
        except sqlite3.IntegrityError as error:
            raise IntegrityError(error) from error
        except sqlite3.Error as error:
            raise OperationalError(error) from error
        return (self._sqlite.total_changes - before) or len(rows), rows


def run_to_end(coroutine: Coroutine[Any, Any, T]) -> T:
    """The result of a coroutine whose every await completes at once, run here and now."""
    try:
        coroutine.send(None)
    except StopIteration as finished:
        result: T = finished.value
        return result
    coroutine.close()
    raise RuntimeError("a statement of a SQLite batch waited for the event loop")


def _transaction(connection: aiosqlite.Connection, name: str, work: Work[T]) -> T:
    """On aiosqlite's thread: BEGIN IMMEDIATE (the write lock at once, so another process's
    writer makes this wait rather than fail half-way), `work`, COMMIT; ROLLBACK on any error."""
    sqlite = connection._conn
    sqlite.execute("BEGIN IMMEDIATE")
    try:
        result = run_to_end(work(ThreadStatements(sqlite, name)))
        sqlite.execute("COMMIT")
    except BaseException:
        if sqlite.in_transaction:
            sqlite.execute("ROLLBACK")
        raise
    return result


async def in_one_hop(client: BaseDBAsyncClient, work: Work[T]) -> T:
    """Run `work` as one transaction of `client` (a Tortoise SQLite client) on its thread."""
    async with client.acquire_connection() as connection:
        name = client.connection_name
        result: T = await connection._execute(_transaction, connection, name, work)
        return result
