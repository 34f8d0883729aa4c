"""The journey's moment, carried by each of its requests to the in-process service.

Every journey lives on its own simulated clock, but the service decides some things by its own
time of day: whether a past-due subscription is still within its grace. So that the service
decides them at the journey's moment, each request of a journey's user names that moment in a
header, and the in-process service (simulator.harness) takes it as the time of day while it
answers that request. A service elsewhere (`--target`) ignores the header and keeps its clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from datetime import UTC, datetime

from starlette.types import ASGIApp, Receive, Scope, Send

from simulator.stripe_side.clock import SimClock

SIMULATED_NOW_HEADER = "x-simulated-now"
_REQUEST_MOMENT: ContextVar[datetime | None] = ContextVar("simulated_now", default=None)


def moment_header(clock: SimClock) -> dict[str, str]:
    """The header that tells the service the journey's moment (Unix seconds)."""
    return {SIMULATED_NOW_HEADER: str(clock.now)}


def simulated_now() -> datetime:
    """The moment of the request being answered; the wall clock outside any journey's request
    (an admin's, a webhook delivery)."""
    moment = _REQUEST_MOMENT.get()
    return moment if moment is not None else datetime.now(UTC)


def following_simulated_time(app: ASGIApp) -> ASGIApp:
    """`app`, answering each request at the moment its header names."""

    async def answer(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        token = _REQUEST_MOMENT.set(_moment_in(scope["headers"]))
        try:
            await app(scope, receive, send)
        finally:
            _REQUEST_MOMENT.reset(token)

    return answer


def _moment_in(headers: Iterable[tuple[bytes, bytes]]) -> datetime | None:
    wanted = SIMULATED_NOW_HEADER.encode()
    for name, value in headers:
        if name.lower() == wanted and value.isdigit():
            return datetime.fromtimestamp(int(value), UTC)
    return None
