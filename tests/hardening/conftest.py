"""Fixtures for the hardening tests: a Stripe that never answers, and the API tests' catalog."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from tests.api.conftest import admin_token, catalog

__all__ = ["admin_token", "catalog"]


@dataclass
class HangingStripe:
    """Accepts every connection, reads the request head, and never answers."""

    url: str = ""
    idempotency_keys: list[str] = field(default_factory=list)
    request_lines: list[str] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            self.request_lines.append(lines[0])
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "idempotency-key":
                    self.idempotency_keys.append(value.strip())
            await reader.read()  # until the client gives up and closes the connection
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def hanging_stripe() -> AsyncIterator[HangingStripe]:
    stripe = HangingStripe()
    server = await asyncio.start_server(stripe.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stripe.url = f"http://127.0.0.1:{port}"
    yield stripe
    server.close()
    await server.wait_closed()
