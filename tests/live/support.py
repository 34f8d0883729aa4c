"""A graphql-transport-ws client as an SPA's graphql-ws speaks the protocol, and the service
served for real on loopback (uvicorn), so each test goes through the WebSocket handshake."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap
from billing_portal.settings import Settings
from services.container import Services
from simulator.toolkit.loopback import serving
from tests.webhooks.support import deliver, event

PROTOCOL = "graphql-transport-ws"
BILLING_CHANGED = """
subscription { billingChanged { id customerId hasActiveSubscription subscriptions { id status } } }
"""
# Long enough for a change to travel (webhook, commit, notification, re-read), and for a message
# that should not come to have come.
WAIT_SECONDS = 5.0
QUIET_SECONDS = 1.0


class NoMessage(AssertionError):
    """Nothing arrived in time."""


@dataclass
class Instance:
    """One running service: its base URL and its services."""

    url: str
    services: Services
    settings: Settings

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "/graphql"

    async def deliver(self, event_type: str, snapshot: dict[str, Any], *, created: int) -> None:
        """A signed webhook, as Stripe sends it, answered 200."""
        async with httpx.AsyncClient(base_url=self.url) as http:
            response = await deliver(
                http, event(event_type, snapshot, created=created), self.settings.webhook_secret
            )
        assert response.status_code == 200, response.text


@asynccontextmanager
async def running(settings: Settings, **overrides: Any) -> AsyncIterator[Instance]:
    """The service, with `overrides` to its settings, under uvicorn on a free loopback port."""
    instance_settings = settings.model_copy(update=overrides)
    services = bootstrap(instance_settings)
    app = create_app(instance_settings, services=services, manage_database=False)
    async with serving(app, "the service") as url:  # its lifespan closes the services
        yield Instance(url, services, instance_settings)


class LiveClient:
    """One WebSocket; pings from the server are answered with a pong, as graphql-ws does."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.pings = 0
        self.first: dict[str, Any] = {}  # the viewer billingChanged answered at once

    async def init(self, payload: dict[str, Any] | None) -> dict[str, Any]:
        """Send connection_init; the server's first answer (connection_ack when admitted)."""
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await self.send(message)
        return await self.receive()

    async def admitted(self, payload: dict[str, Any]) -> bool:
        """Whether connection_init with `payload` is acknowledged (rather than closed)."""
        try:
            answer = await self.init(payload)
        except ConnectionClosed:
            return False
        return bool(answer["type"] == "connection_ack")

    async def subscribe(self, query: str = BILLING_CHANGED, operation_id: str = "1") -> None:
        await self.send({"id": operation_id, "type": "subscribe", "payload": {"query": query}})

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def receive(self, within: float = WAIT_SECONDS) -> dict[str, Any]:
        """The next message other than a ping; NoMessage when none comes in time."""
        deadline = time.monotonic() + within
        while True:
            try:
                text = await asyncio.wait_for(self.connection.recv(), deadline - time.monotonic())
            except TimeoutError:
                raise NoMessage(f"no message within {within} s") from None
            message: dict[str, Any] = json.loads(text)
            if message.get("type") != "ping":
                return message
            self.pings += 1
            await self.send({"type": "pong"})

    async def next_viewer(self, within: float = WAIT_SECONDS) -> dict[str, Any]:
        message = await self.receive(within)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        viewer: dict[str, Any] = message["payload"]["data"]["billingChanged"]
        return viewer

    async def nothing_within(self, seconds: float = QUIET_SECONDS) -> None:
        try:
            message = await self.receive(seconds)
        except NoMessage:
            return
        raise AssertionError(f"unexpected message: {message}")

    async def close_code(self, within: float = WAIT_SECONDS) -> int | None:
        """How the server closed the connection (answering pings until it does)."""
        try:
            while True:
                await self.receive(within)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None


@asynccontextmanager
async def live_client(
    instance: Instance, *, origin: str | None = None
) -> AsyncIterator[LiveClient]:
    async with connect(
        instance.ws_url,
        subprotocols=[PROTOCOL],  # type: ignore[list-item]
        origin=origin,  # type: ignore[arg-type]
        open_timeout=WAIT_SECONDS,
    ) as connection:
        yield LiveClient(connection)


@asynccontextmanager
async def subscribed(instance: Instance, token: str) -> AsyncIterator[LiveClient]:
    """A client admitted with `token`, subscribed to billingChanged, past its first message."""
    async with live_client(instance) as client:
        ack = await client.init({"Authorization": f"Bearer {token}"})
        assert ack["type"] == "connection_ack", ack
        await client.subscribe()
        client.first = await client.next_viewer()
        yield client
