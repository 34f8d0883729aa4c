"""The store: migrations build every table from nothing, and the models never drift from them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


async def test_the_models_match_the_migrations():
    """`make migrations` regenerates the migration after a model change; this catches forgetting."""
    assert await pending_model_changes("sqlite://:memory:") == []


async def test_sqlite_runs_in_wal_mode(tmp_path):
    url = f"sqlite://{tmp_path / 'wal.db'}"
    await migrate(url)

    async with connected(url) as connection:
        _, rows = await connection.execute_query("PRAGMA journal_mode")
    assert rows[0]["journal_mode"] == "wal"
