"""The local Stripe's API: every request validated by stripe-mock first, then answered from the
local account's state when it models the call.

stripe-mock checks each request against Stripe's OpenAPI spec; a request it refuses gets its
answer unchanged (status and body), and a call the account does not model gets stripe-mock's
answer as before. A modelled call is answered in the API version it asks for (`Stripe-Version`,
else the account's: the SDK's), and a POST with an `Idempotency-Key` seen before gets the first
answer again, as Stripe replays it.
"""

from __future__ import annotations

import json
import secrets
from urllib.parse import parse_qsl

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response

from simulator.local_stripe.calls import ApiCall, ApiRefusal, Handled
from simulator.local_stripe.handlers import endpoint_for
from simulator.local_stripe.idempotency import IdempotentAnswers, StoredAnswer
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.render import Renderer
from simulator.stripe_side.api_recorder import end_to_end_headers
from simulator.stripe_side.api_versions import well_formed
from simulator.toolkit.versions import stripe_sdk_api_version

JSON = "application/json"


class LocalApi:
    """Answers `/v1/...` for `local`, with `upstream` (stripe-mock) as validator and fallback."""

    def __init__(self, local: LocalStripe, http: httpx.AsyncClient, upstream: str) -> None:
        self._local = local
        self._http = http
        self._upstream = upstream.rstrip("/")
        self._answers = IdempotentAnswers()
        self._default_version = stripe_sdk_api_version()

    async def forward(self, request: Request) -> Response:
        """stripe-mock's answer to `request`, unchanged (every path the account does not serve)."""
        return _relay(await self._ask_upstream(request, await request.body()))

    async def answer(self, request: Request) -> Response:
        body = await request.body()
        validated = await self._ask_upstream(request, body)
        if not validated.is_success:
            # BEHAVIOUR: local.validate-first
            return _relay(validated)
        found = endpoint_for(request.method, request.url.path)
        if found is None:
            return _relay(validated)
        handler, ids = found
        version = request.headers.get("stripe-version") or self._default_version
        if not well_formed(version):
            return _error(ApiRefusal(f"Invalid Stripe API version: {version}", param=None))
        text = body.decode() if request.method == "POST" else request.url.query
        pairs = parse_qsl(text, keep_blank_values=True)
        key = request.headers.get("idempotency-key") if request.method == "POST" else None
        fingerprint = (request.method, request.url.path, tuple(sorted(pairs)))
        render = Renderer(self._local, version, str(request.base_url))
        if key is not None:
            try:
                stored = self._answers.replay(key, fingerprint, now=self._local.clock.now)
            except ApiRefusal as refusal:
                return _error(refusal)
            if stored is not None:
                return _json(stored.status, stored.body, version, replayed=True)
        try:
            handled = handler(ApiCall.of(self._local, render, ids, pairs))
        except ApiRefusal as refusal:
            handled = Handled(refusal.body(), status=refusal.status)
        if handled is None:
            return _relay(validated)
        if key is not None:
            answer = StoredAnswer(fingerprint, handled.status, handled.body, self._local.clock.now)
            self._answers.store(key, answer)
        response = _json(handled.status, handled.body, version)
        if handled.afterwards is not None:
            response.background = BackgroundTask(handled.afterwards)
        return response

    async def _ask_upstream(self, request: Request, body: bytes) -> httpx.Response:
        query = f"?{request.url.query}" if request.url.query else ""
        return await self._http.request(
            request.method,
            f"{self._upstream}{request.url.path}{query}",
            content=body,
            headers=end_to_end_headers(request.headers.items()),
        )


def _relay(answer: httpx.Response) -> Response:
    return Response(
        answer.content,
        status_code=answer.status_code,
        headers=end_to_end_headers(answer.headers.items()),
    )


def _json(status: int, body: object, version: str, *, replayed: bool = False) -> Response:
    headers = {"request-id": f"req_local_{secrets.token_hex(8)}", "stripe-version": version}
    if replayed:
        headers["idempotent-replayed"] = "true"
    content = json.dumps(body, indent=2).encode()
    return Response(content, status_code=status, media_type=JSON, headers=headers)


def _error(refusal: ApiRefusal) -> Response:
    return Response(
        json.dumps(refusal.body(), indent=2).encode(),
        status_code=refusal.status,
        media_type=JSON,
    )
