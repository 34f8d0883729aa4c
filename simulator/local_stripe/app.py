"""The local Stripe as one ASGI app: the hosted pages, the test-clock control, the API, and
stripe-mock behind everything else.

Its lifespan publishes the demo catalog as soon as the service's webhook endpoint answers (the
service usually starts after its Stripe), now and then lets the clock catch up, so what falls
due by the wall clock (a Checkout Session expiring, a webhook Stripe retries) happens without
anyone advancing it, and keeps the account in its file, if it has one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Route

from simulator.local_stripe import persistence
from simulator.local_stripe.api import LocalApi
from simulator.local_stripe.control import clock_routes
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.pages import routes as page_routes

METHODS = ["GET", "POST", "DELETE"]
ENDPOINT_POLL_SECONDS = 0.5
CATCH_UP_SECONDS = 30.0
SAVE_SECONDS = 2.0


def create_app(
    local: LocalStripe,
    api: LocalApi,
    *,
    http: httpx.AsyncClient,
    webhook_url: str,
    catch_up_seconds: float = CATCH_UP_SECONDS,
    state_path: Path | None = None,
) -> Starlette:
    """The app of `local`; with a `state_path` it keeps the account there as it changes."""
    routes: list[BaseRoute] = [
        *page_routes(local),
        *clock_routes(local),
        Route("/v1/{path:path}", api.answer, methods=METHODS),
        Route("/{path:path}", api.forward, methods=METHODS),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        keeper = _Keeper(local, state_path) if state_path is not None else None
        tasks = [
            asyncio.create_task(_publish_when_answered(local, http, webhook_url)),
            asyncio.create_task(_catch_up(local, catch_up_seconds)),
        ]
        if keeper is not None:
            tasks.append(asyncio.create_task(keeper.keep()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if keeper is not None:
                await keeper.save()

    return Starlette(routes=routes, lifespan=lifespan)


async def _publish_when_answered(local: LocalStripe, http: httpx.AsyncClient, url: str) -> None:
    """Publish the catalog once anything answers at the webhook endpoint's URL, and again until
    the service acknowledges it (something else, a proxy, may answer before the service)."""
    while True:
        try:
            await http.get(url)
        except httpx.HTTPError:
            pass
        else:
            if await local.publish_catalog():
                return
        await asyncio.sleep(ENDPOINT_POLL_SECONDS)


async def _catch_up(local: LocalStripe, every_seconds: float) -> None:
    while True:
        await asyncio.sleep(every_seconds)
        await local.advance_to(local.clock.now)


class _Keeper:
    """Writes the account to its file whenever it changed (checked every few seconds)."""

    def __init__(self, local: LocalStripe, path: Path) -> None:
        self._local = local
        self._path = path
        self._written = b""

    async def keep(self) -> None:
        while True:
            await asyncio.sleep(SAVE_SECONDS)
            await self.save()

    async def save(self) -> None:
        data = persistence.encode(self._local.snapshot())
        if data != self._written:
            await asyncio.to_thread(persistence.write, self._path, data)
            self._written = data
