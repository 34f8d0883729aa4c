"""Tortoise configuration and the database's life cycle: one place that knows the app layout."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tortoise import Tortoise
from tortoise.migrations.api import migrate as run_migrations

MODELS_MODULE = "services.models"
MIGRATIONS_MODULE = "migrations"
APP_LABEL = "models"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
        "apps": {
            APP_LABEL: {
                "models": [MODELS_MODULE],
                "migrations": MIGRATIONS_MODULE,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_directory(database_url: str) -> None:
    """SQLite creates the file but not its folder; `var/` does not exist on a fresh clone."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


async def migrate(database_url: str) -> None:
    """Apply every pending migration (Tortoise 1.x built-in migrations)."""
    _ensure_sqlite_directory(database_url)
    await run_migrations(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def open_database(database_url: str) -> None:
    _ensure_sqlite_directory(database_url)
    # Requests run in tasks the lifespan did not create: the global fallback lets them see it.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


# Read by the `tortoise` CLI (`[tool.tortoise]` in pyproject.toml) for makemigrations.
TORTOISE_ORM = tortoise_config(os.environ.get("DATABASE_URL", "sqlite://var/billing.db"))
