"""A gate between the local Stripe and the service's webhook endpoint, for the webhook races of
the success page.

Open, it passes each delivery on at once and answers with the service's answer. Closed, it
acknowledges each delivery itself and keeps it, so the local Stripe goes on (the browser lands
on the success page) while the service has seen nothing; the test then lets the kept deliveries
through later, several times, some of them, or never.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from billing_portal.settings import WEBHOOK_PATH
from simulator.toolkit.loopback import serving

SIGNATURE = "stripe-signature"


@dataclass(frozen=True)
class KeptDelivery:
    event_type: str
    body: bytes
    signature: str


class WebhookGate:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http
        self.service_url = ""
        self.closed = False
        self.kept: list[KeptDelivery] = []

    def app(self) -> Starlette:
        return Starlette(routes=[Route(WEBHOOK_PATH, self._receive, methods=["POST"])])

    def close(self) -> None:
        """From now on, keep every delivery instead of passing it on."""
        self.closed = True

    def open(self) -> None:
        """From now on, pass every delivery on again (what was kept stays kept)."""
        self.closed = False

    async def release(self, *, times: int = 1, only: Iterable[str] | None = None) -> None:
        """Pass the kept deliveries on (those of the event types `only` names), each `times`
        times, in the order they came; the service must acknowledge every one."""
        wanted = set(only) if only is not None else None
        for delivery in self.kept:
            if wanted is None or delivery.event_type in wanted:
                for _ in range(times):
                    status = await self._pass_on(delivery.body, delivery.signature)
                    assert status == 200, f"{delivery.event_type} was answered {status}"

    async def _receive(self, request: Request) -> Response:
        body = await request.body()
        signature = request.headers.get(SIGNATURE, "")
        if not self.closed:
            return Response(status_code=await self._pass_on(body, signature))
        self.kept.append(KeptDelivery(json.loads(body)["type"], body, signature))
        return Response(status_code=200)

    async def _pass_on(self, body: bytes, signature: str) -> int:
        answer = await self._http.post(
            f"{self.service_url}{WEBHOOK_PATH}",
            content=body,
            headers={SIGNATURE: signature, "content-type": "application/json"},
        )
        return answer.status_code


@asynccontextmanager
async def serving_gate() -> AsyncIterator[tuple[WebhookGate, Callable[[str], str]]]:
    """A gate, open, served on loopback; and where a local Stripe sends its webhooks to pass
    through it, for the service's base URL."""
    async with httpx.AsyncClient(timeout=30) as http:
        gate = WebhookGate(http)
        async with serving(gate.app(), "the webhook gate") as gate_url:

            def through_the_gate(service_url: str) -> str:
                gate.service_url = service_url
                return f"{gate_url}{WEBHOOK_PATH}"

            yield gate, through_the_gate
