"""Tortoise configuration and the database's life cycle: one place that knows the app layout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext
from tortoise.migrations.api import migrate as run_migrations
from tortoise.migrations.autodetector import MigrationAutodetector

from billing_portal.settings import DEFAULT_DATABASE_URL
from services.connections import READ_CONNECTION, WRITE_CONNECTION, ReadRouter

MODELS_MODULE = "services.models"
MIGRATIONS_MODULE = "migrations"
APP_LABEL = "models"
POSTGRES_ENGINES = frozenset({"tortoise.backends.asyncpg", "tortoise.backends.psycopg"})


def tortoise_config(database_url: str) -> dict[str, Any]:
    """Two connections to one database: writes (and reads inside a transaction) on one, other
    reads on the other, so that reads never queue behind a writer (services.connections).

    SQLite connections get WAL journaling from Tortoise's SQLite client by default, which lets
    the reading connection see the last commit while another holds the write lock; it is
    opened query-only, so a write routed to it by mistake fails instead of taking the lock.
    On PostgreSQL each connection is a pool, sized by the URL's `minsize` and `maxsize`.
    """
    return {
        "connections": _connections(database_url),
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": WRITE_CONNECTION,
            }
        },
        "routers": [ReadRouter],
        "use_tz": True,
        "timezone": "UTC",
    }


def is_postgres_url(database_url: str) -> bool:
    """Whether the URL names a PostgreSQL server (which several instances may share)."""
    return expand_db_url(database_url)["engine"] in POSTGRES_ENGINES


def _connections(database_url: str) -> dict[str, str]:
    """An in-memory SQLite database exists in one connection only: there it serves reads too."""
    if not database_url.startswith("sqlite://"):
        return {WRITE_CONNECTION: database_url, READ_CONNECTION: database_url}
    if _sqlite_path(database_url) == ":memory:":
        return {WRITE_CONNECTION: database_url}
    separator = "&" if "?" in database_url else "?"
    return {
        WRITE_CONNECTION: database_url,
        READ_CONNECTION: f"{database_url}{separator}query_only=ON",
    }


def _sqlite_path(database_url: str) -> str:
    return database_url.removeprefix("sqlite://").split("?", 1)[0]


def _ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file but not its folder; `var/` does not exist on a fresh clone."""
    if database_url.startswith("sqlite://"):
        path = _sqlite_path(database_url)
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every pending migration (Tortoise 1.x built-in migrations).

    It runs in its own Tortoise context, so migrating one database never disturbs the
    connections an already running app (or test session) holds on another.
    """
    _ensure_sqlite_directory(database_url)
    async with TortoiseContext():
        await run_migrations(config=tortoise_config(database_url))


async def pending_model_changes(database_url: str) -> list[str]:
    """Names of the migrations `tortoise makemigrations` would write now (empty: no drift)."""
    config = tortoise_config(database_url)
    async with TortoiseContext() as context:
        await context.init(config=config, init_connections=False)
        assert context.apps is not None
        writers = await MigrationAutodetector(context.apps, config["apps"]).changes()
    return [writer.name for writer in writers]


async def open_database(database_url: str) -> None:
    _ensure_sqlite_directory(database_url)
    # Requests run in tasks the lifespan did not create: the global fallback lets them see it.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


# Read by the `tortoise` CLI (`[tool.tortoise]` in pyproject.toml) for makemigrations.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
