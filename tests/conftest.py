"""Fixtures: a real stripe-mock per session, a real database (SQLite, or PostgreSQL when
DATABASE_URL says so) migrated once per session and emptied before every test, and an httpx
client on the ASGI app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from tortoise import Tortoise, connections

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap, stripe_gateway_for
from billing_portal.database import close_database, migrate, open_database
from billing_portal.settings import Settings, load_settings
from services.container import Services
from services.stripe_gateway import StripeGateway
from simulator.toolkit.stripe_mock import StripeMockServer, StripeMockUnavailable
from simulator.toolkit.tokens import TokenMinter
from tests.support import (
    app_client,
    configured_postgres_url,
    create_postgres_database,
    drop_postgres_database,
    service_missing,
)

TokenFactory = Callable[..., str]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`postgres_only` tests are about races SQLite cannot have: they belong to the PostgreSQL
    run (where a missing server fails them under CI), and are deselected, not skipped, on SQLite."""
    if configured_postgres_url() is not None:
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session")
def stripe_mock() -> Iterator[StripeMockServer]:
    try:
        server = StripeMockServer().start()
    except StripeMockUnavailable as error:
        service_missing(str(error))
    yield server
    server.stop()


@pytest.fixture(scope="session")
async def database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A migrated, empty database for this test session."""
    async with _fresh_database(tmp_path_factory.mktemp("db")) as url:
        await migrate(url)
        yield url


@pytest.fixture
async def empty_database_url(tmp_path: Path) -> AsyncIterator[str]:
    """A database with no table at all, on the same server kind as the session's (dropped after)."""
    async with _fresh_database(tmp_path) as url:
        yield url


@asynccontextmanager
async def _fresh_database(folder: Path) -> AsyncIterator[str]:
    """SQLite: a new file in `folder`; PostgreSQL (DATABASE_URL): a new database, dropped after."""
    configured = configured_postgres_url()
    if configured is None:
        yield f"sqlite://{folder / 'billing.db'}"
        return
    url, admin_dsn = await create_postgres_database(configured)
    try:
        yield url
    finally:
        await drop_postgres_database(admin_dsn, url)


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
def stripe_gateway(settings: Settings) -> StripeGateway:
    """The gateway the app's services use (the API tests swap in one that records)."""
    return stripe_gateway_for(settings)


@pytest.fixture
async def services(settings: Settings, stripe_gateway: StripeGateway) -> AsyncIterator[Services]:
    built = bootstrap(settings, stripe=stripe_gateway)
    yield built
    await built.close()


@pytest.fixture
def app(settings: Settings, services: Services) -> Starlette:
    return create_app(settings, services=services, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def prod_settings(settings: Settings) -> Settings:
    """Settings as prod has them, on the same stripe-mock and database."""
    return load_settings(
        billing_env="prod",
        database_url=settings.database_url,
        stripe_api_base=settings.api_base,
        stripe_api_key="sk_live_not_used",
        stripe_webhook_secret="whsec_prod",
        auth_jwt_secret="a-long-production-secret-of-32-bytes",
        allowed_redirect_hosts="app.example.com",
    )


@pytest.fixture
async def prod_client(prod_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app as prod configures it, on the same stripe-mock and database."""
    async with app_client(prod_settings) as http:
        yield http


@pytest.fixture
def token_for(settings: Settings) -> TokenFactory:
    """`token_for("user-1", email=..., admin=True)` mints a valid bearer token for the app."""
    minter = TokenMinter(settings.jwt_secret, settings.auth_jwt_audience, settings.auth_jwt_issuer)
    return minter.mint


@pytest.fixture
def repo_root() -> Path:
    return Path(__file__).resolve().parent.parent
