"""Fixtures: a real stripe-mock per session, a real database (SQLite, or PostgreSQL when
DATABASE_URL says so) migrated once per session and emptied before every test, and an httpx
client on the ASGI app.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise, connections

from billing_portal.app import create_app
from billing_portal.database import close_database, migrate, open_database
from billing_portal.settings import Settings, load_settings
from billing_portal.stripe_mock import StripeMockServer, StripeMockUnavailable
from services.auth import TokenVerifier
from tests.support import service_missing

TokenFactory = Callable[..., str]


def _configured_database_url() -> str | None:
    url = os.environ.get("DATABASE_URL")
    return url if url and url.startswith(("postgres://", "postgresql://")) else None


@pytest.fixture(scope="session")
def stripe_mock() -> Iterator[StripeMockServer]:
    try:
        server = StripeMockServer().start()
    except StripeMockUnavailable as error:
        service_missing(str(error))
    yield server
    server.stop()


async def _create_postgres_database(server_url: str) -> tuple[str, str]:
    """A fresh database on the configured server; returns (its URL, the admin DSN to drop it)."""
    base, _, _ = server_url.rpartition("/")
    admin_dsn = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    name = f"billing_test_{uuid.uuid4().hex[:12]}"
    try:
        connection = await asyncpg.connect(admin_dsn)
    except (OSError, asyncpg.PostgresError) as error:
        service_missing(f"PostgreSQL at {base} is unreachable: {error}")
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{base}/{name}", admin_dsn


async def _drop_postgres_database(admin_dsn: str, url: str) -> None:
    name = url.rpartition("/")[2]
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A migrated, empty database for this test session."""
    configured = _configured_database_url()
    if configured is None:
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'billing.db'}"
        await migrate(url)
        yield url
        return
    url, admin_dsn = await _create_postgres_database(configured)
    try:
        await migrate(url)
        yield url
    finally:
        await _drop_postgres_database(admin_dsn, url)


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[str]:
    await open_database(database_url)
    yield database_url
    await close_database()


def _table_names() -> list[str]:
    return [model._meta.db_table for model in Tortoise.apps["models"].values()]


@pytest.fixture(autouse=True)
async def clean_database(request: pytest.FixtureRequest) -> None:
    """Empty every table before each test that uses the database (other tests pay nothing)."""
    if "database" not in request.fixturenames:
        return
    connection = connections.get("default")
    tables = _table_names()
    if connection.capabilities.dialect == "postgres":
        quoted = ", ".join(f'"{table}"' for table in tables)
        await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
    else:
        for table in tables:
            await connection.execute_script(f'DELETE FROM "{table}"')


@pytest.fixture
def settings(stripe_mock: StripeMockServer, database: str) -> Settings:
    return load_settings(billing_env="test", database_url=database, stripe_api_base=stripe_mock.url)


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[Starlette]:
    application = create_app(settings, manage_database=False)
    yield application
    await application.state.services.close()


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def token_for(settings: Settings) -> TokenFactory:
    """`token_for("user-1", email=..., admin=True)` mints a valid bearer token for the app."""
    verifier = TokenVerifier(
        secret=settings.jwt_secret,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
    )
    return verifier.mint


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
