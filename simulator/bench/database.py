"""The databases of one bench run: the service's and the durable floor's, of one kind, fresh.

SQLite by default: two files in the run's folder, so that the floor and the service never
share a writer lock, each with SQLite's default durability. With a PostgreSQL URL, the bench
creates a database of its own on that server (the role needs CREATEDB), which both use, and
drops it afterwards.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from simulator.bench.errors import BenchFailed

POSTGRES_SCHEMES = ("postgres://", "postgresql://")


@dataclass(frozen=True, slots=True)
class BenchDatabases:
    service_url: str
    floor_url: str


@contextmanager
def bench_databases(server_url: str | None, folder: Path) -> Iterator[BenchDatabases]:
    if server_url is None:
        yield BenchDatabases(f"sqlite://{folder / 'bench.db'}", f"sqlite://{folder / 'floor.db'}")
        return
    if not server_url.startswith(POSTGRES_SCHEMES):
        raise BenchFailed("--database-url must name a PostgreSQL server (SQLite is the default)")
    base, _, _ = server_url.rpartition("/")
    admin_dsn = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    name = f"billing_bench_{uuid.uuid4().hex[:12]}"
    asyncio.run(_run_statement(admin_dsn, f'CREATE DATABASE "{name}"'))
    try:
        yield BenchDatabases(f"{base}/{name}", f"{base}/{name}")
    finally:
        asyncio.run(_run_statement(admin_dsn, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def without_credentials(url: str) -> str:
    """The URL as a report may print it: no user name, no password."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


async def _run_statement(admin_dsn: str, statement: str) -> None:
    try:
        connection = await asyncpg.connect(admin_dsn)
    except (OSError, asyncpg.PostgresError) as error:
        server = admin_dsn.rpartition("@")[2]
        raise BenchFailed(f"PostgreSQL at {server} is unreachable: {error}") from None
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
