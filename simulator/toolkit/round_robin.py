"""Several instances of one service behind one address, as a load balancer serves them.

The simulator addresses the service by one base URL; `RoundRobin` sends each request to the next
instance in turn, so a journey's GraphQL calls and its webhook deliveries land on every
instance, and each must see what the others stored.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import httpx


class RoundRobin(httpx.AsyncBaseTransport):
    """Requests to the first of `origins` go to each of them in turn; others go as they are.

    Each instance has a pool of its own with all of `limits`: in one shared pool, a full pool
    closes one instance's idle connections to open the other's, and httpcore's pool can close
    a connection it has just handed to a waiting request.
    """

    def __init__(self, origins: Sequence[str], limits: httpx.Limits) -> None:
        instances = [httpx.URL(origin) for origin in origins]
        self._address = _origin(instances[0])
        self._pools = {_origin(url): httpx.AsyncHTTPTransport(limits=limits) for url in instances}
        self._next = itertools.cycle(instances)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if _origin(request.url) == self._address:
            instance = next(self._next)
            request.url = request.url.copy_with(
                scheme=instance.scheme, host=instance.host, port=instance.port
            )
            request.headers["host"] = instance.netloc.decode("ascii")
        pool = self._pools.get(_origin(request.url), self._pools[self._address])
        return await pool.handle_async_request(request)

    async def aclose(self) -> None:
        for pool in self._pools.values():
            await pool.aclose()


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port)
