"""Helpers the test modules share: GraphQL calls and service availability rules."""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, NoReturn

import asyncpg
import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.settings import Settings
from simulator.toolkit.graphql import GraphQLClient
from simulator.toolkit.graphql import error_codes as error_codes

# A child `billing-portal` process imports the whole service before it answers: a second or two
# on a quiet machine, several on a loaded two-core one. Only a server that never starts takes this.
SERVER_START_SECONDS = 60.0
START_POLL_SECONDS = 0.05


class ManualClock:
    """A clock (seconds) that moves only when the test moves `now`."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(reason: str) -> NoReturn:
    """A service a test needs is absent: a failure under CI, locally a skip that says why."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service fails the run)")
    pytest.skip(reason)


def configured_postgres_url() -> str | None:
    """The PostgreSQL server DATABASE_URL names, if any (the suite then runs on PostgreSQL)."""
    url = os.environ.get("DATABASE_URL")
    return url if url and url.startswith(("postgres://", "postgresql://")) else None


async def create_postgres_database(server_url: str) -> tuple[str, str]:
    """A fresh database on the configured server; returns (its URL, the admin DSN to drop it)."""
    base, _, _ = server_url.rpartition("/")
    admin_dsn = base.replace("postgres://", "postgresql://", 1) + "/postgres"
    name = f"billing_test_{uuid.uuid4().hex[:12]}"
    try:
        connection = await asyncpg.connect(admin_dsn)
    except (OSError, asyncpg.PostgresError) as error:
        service_missing(f"PostgreSQL at {base.rpartition('@')[2]} is unreachable: {error}")
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return f"{base}/{name}", admin_dsn


async def drop_postgres_database(admin_dsn: str, url: str) -> None:
    name = url.rpartition("/")[2]
    connection = await asyncpg.connect(admin_dsn)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    """The whole answer (`data` and `errors`), which must be an HTTP 200."""
    response = await GraphQLClient(client, token=token).post(query, variables)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@asynccontextmanager
async def app_client(settings: Settings, **options: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app of its own that `settings` configure (on the suite's database),
    its services closed afterwards; `options` go to `create_app`."""
    app = create_app(settings, manage_database=False, **options)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http
    finally:
        await app.state.services.close()


@asynccontextmanager
async def serving_process(
    port: int, cwd: Path, environment: Mapping[str, str]
) -> AsyncIterator[None]:
    """`billing-portal serve --port <port>` as an operator starts it, stopped (SIGTERM) after."""
    server = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "billing_portal.cli", "serve", "--port", str(port)),
        cwd=cwd,
        env=dict(environment),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        yield
    finally:
        server.terminate()
        await asyncio.wait_for(server.wait(), timeout=30)


async def first_answer(http: httpx.AsyncClient, path: str) -> httpx.Response:
    """The first answer to `path` from a server still starting up (within
    SERVER_START_SECONDS)."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            return await http.get(path)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the server did not answer {path} within {SERVER_START_SECONDS:g} s"
                ) from None
            await asyncio.sleep(START_POLL_SECONDS)
