"""The service's Stripe API calls, passed through to stripe-mock and remembered.

stripe-mock keeps no state: a portal configuration the service saves there is forgotten at once,
while a real account keeps it and shows it in every portal session that names it. So the
in-process service talks to Stripe through this recorder, which forwards each request to
stripe-mock unchanged, answers with stripe-mock's answer, and notes the portal configurations
and portal sessions it sees. A completed Checkout Session, and its line items, are answered from
the account's own (`CompletedCheckouts`, `CheckoutLineItems`), once stripe-mock has validated the
request, since stripe-mock's fixtures belong to nobody and name products the journey never
bought. (A service run elsewhere, with `--target`, talks to its Stripe directly: its portal
sessions show the account's default configuration, and its sessions and line items are
stripe-mock's fixtures.)
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
from simulator.stripe_side.completed_checkouts import CompletedCheckouts
from simulator.stripe_side.objects import StripeObject
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
CHECKOUT_SESSION = re.compile(r"/v1/checkout/sessions/(?P<session>[^/]+)")
EXPAND = re.compile(r"expand\[\d*\]")


class StripeApiRecorder:
    """Forwards to `upstream` (stripe-mock), records into `configurations`, and answers
    completed Checkout Sessions from `checkouts` and their line items from `line_items`."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        upstream: str,
        configurations: PortalConfigurations,
        line_items: CheckoutLineItems | None = None,
        checkouts: CompletedCheckouts | None = None,
    ) -> None:
        self._http = http
        self._upstream = upstream.rstrip("/")
        self._configurations = configurations
        self._line_items = line_items or CheckoutLineItems()
        self._checkouts = checkouts or CompletedCheckouts()

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
        own = self._from_account(request) if answer.is_success else None
        if own is not None:
            return Response(json.dumps(own).encode(), media_type="application/json")
        return Response(
            answer.content,
            status_code=answer.status_code,
            headers=end_to_end_headers(answer.headers.items()),
        )

    def _from_account(self, request: Request) -> StripeObject | None:
        """What the account answers itself: a completed session, or its line items."""
        if request.method != "GET":
            return None
        path = request.url.path
        if matched := LINE_ITEMS.fullmatch(path):
            return self._listed(matched["session"])
        if matched := CHECKOUT_SESSION.fullmatch(path):
            paths = [value for key, value in parse_qsl(request.url.query) if EXPAND.fullmatch(key)]
            session = self._checkouts.retrieve(matched["session"], paths)
            if session is not None and "line_items" in paths:
                session["line_items"] = self._listed(matched["session"])
            return session
        return None

    def _listed(self, session_id: str) -> StripeObject | None:
        """The list of a session's line items, if the account completed that session."""
        items = self._line_items.of(session_id)
        if items is None:
            return None
        # BEHAVIOUR: checkout.payment.line-items (every item fits one page here)
        url = f"/v1/checkout/sessions/{session_id}/line_items"
        return {"object": "list", "data": items, "has_more": False, "url": url}

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
    checkouts: CompletedCheckouts | None = None,
) -> AsyncIterator[str]:
    """A recorder in front of `upstream` for the duration; yields the URL to use as Stripe's."""
    async with httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0)) as http:
        recorder = StripeApiRecorder(http, upstream, configurations, line_items, checkouts)
        async with serving(recorder.app(), "the Stripe API recorder") as url:
            yield url
