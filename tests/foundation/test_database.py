"""The store: migrations build every table from nothing, and the models never drift from them."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, closing
from pathlib import Path

from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.context import TortoiseContext

from billing_portal.database import (
    MIGRATIONS_MODULE,
    migrate,
    pending_model_changes,
    tortoise_config,
)

MIGRATIONS_TABLE = "tortoise_migrations"


@asynccontextmanager
async def connected(database_url: str) -> AsyncIterator[BaseDBAsyncClient]:
    """A connection of its own, beside (never instead of) the session's database."""
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        yield context.connections.get("default")


async def table_names(connection: BaseDBAsyncClient) -> set[str]:
    if connection.capabilities.dialect == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = (
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        )
    _, rows = await connection.execute_query(query)
    return {row["name"] for row in rows}


def migration_files() -> list[str]:
    folder = Path(__file__).resolve().parents[2] / MIGRATIONS_MODULE
    return sorted(path.stem for path in folder.glob("[0-9][0-9][0-9][0-9]_*.py"))


def model_tables() -> set[str]:
    return {model._meta.db_table for model in Tortoise.apps["models"].values()}


async def test_migrations_create_every_model_table_from_an_empty_database(
    empty_database_url, database
):
    await migrate(empty_database_url)

    async with connected(empty_database_url) as connection:
        tables = await table_names(connection)
    assert model_tables() | {MIGRATIONS_TABLE} <= tables


async def test_migrating_twice_applies_each_migration_once(empty_database_url):
    await migrate(empty_database_url)
    await migrate(empty_database_url)

    async with connected(empty_database_url) as connection:
        _, rows = await connection.execute_query(f"SELECT name FROM {MIGRATIONS_TABLE}")
    assert sorted(row["name"] for row in rows) == migration_files()


async def test_migrating_another_database_leaves_the_running_one_usable(
    empty_database_url, database
):
    from services.models import User

    await migrate(empty_database_url)

    await User.create(external_id="still-here")
    assert await User.filter(external_id="still-here").count() == 1


async def test_the_models_match_the_migrations(database):
    """`make migrations` regenerates the migration after a model change; this catches forgetting.

    It is checked against the session's own kind of database: Tortoise binds the model classes
    to the dialect of the last context initialised, so a SQLite check would unsettle a
    PostgreSQL session."""
    assert await pending_model_changes(database) == []


async def test_the_default_sqlite_database_runs_in_wal_mode(tmp_path):
    """Checked in a process of its own for the same reason, with the stdlib driver."""
    path = tmp_path / "wal.db"
    migration = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "billing_portal.cli", "migrate"),
        env={**os.environ, "BILLING_ENV": "test", "DATABASE_URL": f"sqlite://{path}"},
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert await migration.wait() == 0

    with closing(sqlite3.connect(path)) as connection:
        (journal_mode,) = connection.execute("PRAGMA journal_mode").fetchone()
    assert journal_mode == "wal"
