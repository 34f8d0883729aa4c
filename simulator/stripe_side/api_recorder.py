"""The service's Stripe API calls, passed through to stripe-mock and remembered.

stripe-mock keeps no state: a portal configuration the service saves there is forgotten at once,
while a real account keeps it and shows it in every portal session that names it. So the
in-process service talks to Stripe through this recorder, which forwards each request to
stripe-mock unchanged, answers with stripe-mock's answer, and notes the portal configurations
and portal sessions it sees. A Checkout Session's line items are answered from what the
account's sessions sold (`CheckoutLineItems`), once stripe-mock has validated the request, since
stripe-mock's fixture names products the journey never bought. (A service run elsewhere, with
`--target`, talks to its Stripe directly: its portal sessions show the account's default
configuration, and its line items are stripe-mock's fixtures.)
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.portal_configurations import PortalConfigurations
from simulator.toolkit.loopback import serving

CONFIGURATIONS = "/v1/billing_portal/configurations"
SESSIONS = "/v1/billing_portal/sessions"
# Headers that describe one HTTP hop, not the request: each side sets its own.
HOP_HEADERS = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
)
METHODS = ["GET", "POST", "DELETE"]
LINE_ITEMS = re.compile(r"/v1/checkout/sessions/(?P<session>[^/]+)/line_items")


class StripeApiRecorder:
    """Forwards to `upstream` (stripe-mock), records into `configurations`, and answers line
    items from `line_items`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        upstream: str,
        configurations: PortalConfigurations,
        line_items: CheckoutLineItems | None = None,
    ) -> None:
        self._http = http
        self._upstream = upstream.rstrip("/")
        self._configurations = configurations
        self._line_items = line_items or CheckoutLineItems()

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self._forward, methods=METHODS)])

    async def _forward(self, request: Request) -> Response:
        body = await request.body()
        query = f"?{request.url.query}" if request.url.query else ""
        answer = await self._http.request(
            request.method,
            f"{self._upstream}{request.url.path}{query}",
            content=body,
            headers=end_to_end_headers(request.headers.items()),
        )
        if request.method == "POST" and answer.is_success:
            self._remember(request.url.path, dict(parse_qsl(body.decode())), answer)
        sold = self._sold(request) if answer.is_success else None
        if sold is not None:
            return Response(sold, media_type="application/json")
        return Response(
            answer.content,
            status_code=answer.status_code,
            headers=end_to_end_headers(answer.headers.items()),
        )

    def _sold(self, request: Request) -> bytes | None:
        """The list of a session's line items, if the account completed that session."""
        matched = LINE_ITEMS.fullmatch(request.url.path)
        items = self._line_items.of(matched["session"]) if matched else None
        if request.method != "GET" or items is None:
            return None
        # BEHAVIOUR: checkout.payment.line-items (every item fits one page here)
        listed = {"object": "list", "data": items, "has_more": False, "url": request.url.path}
        return json.dumps(listed).encode()

    def _remember(self, path: str, params: dict[str, str], answer: httpx.Response) -> None:
        if path == CONFIGURATIONS:
            self._configurations.saved(answer.json()["id"], params)
        elif path.startswith(f"{CONFIGURATIONS}/"):
            self._configurations.saved(path.removeprefix(f"{CONFIGURATIONS}/"), params)
        elif path == SESSIONS:
            self._configurations.session_created(answer.json()["id"], params.get("configuration"))


def end_to_end_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name: value for name, value in headers if name.lower() not in HOP_HEADERS}


@asynccontextmanager
async def recording(
    upstream: str,
    configurations: PortalConfigurations,
    line_items: CheckoutLineItems | None = None,
) -> AsyncIterator[str]:
    """A recorder in front of `upstream` for the duration; yields the URL to use as Stripe's."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as http:
        recorder = StripeApiRecorder(http, upstream, configurations, line_items)
        async with serving(recorder.app(), "the Stripe API recorder") as url:
            yield url
