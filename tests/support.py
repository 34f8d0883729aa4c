"""Helpers the test modules share: GraphQL calls and service availability rules."""

from __future__ import annotations

import os
from typing import Any

import httpx
import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(reason: str) -> None:
    """A service a test needs is absent: a failure under CI, locally a skip that says why."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing service fails the run)")
    pytest.skip(reason)


async def graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]
