"""An HTTP client pool for the service, and the sentence for a request that got no answer.

A pooled connection left idle as long as the server's keep-alive timeout (uvicorn: 5 s, httpx's
default expiry: 5 s too) may be closed by the server just as the client sends the next request on
it: the request then fails with a `ReadError` whose message is empty. Under load (hundreds of
journeys, some waiting seconds between steps) that race fired about once per few hundred
journeys. Expiring idle connections well before any usual server timeout avoids it; the timeouts
leave room for a 2-core machine that is also running the service, stripe-mock and other work.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx

from simulator.toolkit.round_robin import RoundRobin

KEEPALIVE_EXPIRY_SECONDS = 1.0
TIMEOUT = httpx.Timeout(60.0, connect=10.0)


def service_client(concurrency: int, instances: Sequence[str] = ()) -> httpx.AsyncClient:
    """One pool for `concurrency` callers; each may fan out a burst of webhook deliveries.
    With several `instances` of the service, requests to the first go to each in turn."""
    # As many kept alive as open: httpcore 1.0 counts every connection against the keep-alive
    # limit and would close each one going idle past it, to open another one at once.
    connections = concurrency * 4 + 8
    limits = httpx.Limits(
        max_connections=connections,
        max_keepalive_connections=connections,
        keepalive_expiry=KEEPALIVE_EXPIRY_SECONDS,
    )
    if len(instances) < 2:
        return httpx.AsyncClient(timeout=TIMEOUT, limits=limits)
    return httpx.AsyncClient(timeout=TIMEOUT, transport=RoundRobin(instances, limits))


def no_answer(error: httpx.RequestError) -> str:
    """What was sent and which exception replaced the answer (its message may be empty)."""
    request = error.request
    message = str(error)
    detail = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return f"{request.method} {request.url.path} got no HTTP answer ({detail})"
