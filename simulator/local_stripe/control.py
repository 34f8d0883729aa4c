"""`/_local/clock`: the local Stripe's test-clock control.

Like advancing a Stripe test clock, advancing this one makes billing happen: renewals, trial
ends, payment retries and expiring Checkout Sessions fall due in order, each with its webhooks,
before the answer comes back. Time never goes back.

    GET  /_local/clock                       {"now": 1767225600}
    POST /_local/clock/advance  days=30      (or hours=, seconds=, or to=<unix time>)
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from simulator.local_stripe.local import LocalStripe
from simulator.stripe_side.clock import DAY, HOUR

UNITS = {"days": DAY, "hours": HOUR, "seconds": 1}


class BadAdvance(ValueError):
    """The request does not say how far to move the clock."""


def clock_routes(local: LocalStripe) -> list[Route]:
    async def now(_: Request) -> JSONResponse:
        return JSONResponse({"now": local.clock.now})

    async def advance(request: Request) -> JSONResponse:
        try:
            target = _target(await _fields(request), local.clock.now)
        except BadAdvance as error:
            return JSONResponse({"error": {"message": str(error)}}, status_code=400)
        before = local.clock.now
        after = await local.advance_to(target)
        return JSONResponse({"now": after, "advanced_by": after - before})

    return [
        Route("/_local/clock", now, methods=["GET"]),
        Route("/_local/clock/advance", advance, methods=["POST"]),
    ]


async def _fields(request: Request) -> dict[str, Any]:
    """The query's fields, and the body's: a JSON object or a url-encoded form."""
    body = await request.body()
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            fields = json.loads(body or b"{}")
        except ValueError as error:
            raise BadAdvance("the body is not JSON") from error
        if not isinstance(fields, dict):
            raise BadAdvance("the body must be a JSON object")
    else:
        fields = dict(parse_qsl(body.decode(errors="replace")))
    return {**request.query_params, **fields}


def _target(fields: dict[str, Any], now: int) -> int:
    """The moment the request asks for: `to`, or now plus days/hours/seconds."""
    if "to" in fields:
        return _whole(fields["to"], "to")
    given = {unit: _whole(fields[unit], unit) for unit in UNITS if unit in fields}
    if not given:
        raise BadAdvance("say how far: days, hours, seconds, or to (a unix time)")
    if any(amount < 0 for amount in given.values()):
        raise BadAdvance("time only moves forward")
    return now + sum(amount * UNITS[unit] for unit, amount in given.items())


def _whole(value: object, name: str) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise BadAdvance(f"{name} must be a whole number") from None
