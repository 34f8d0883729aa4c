"""An ASGI app served in this process under uvicorn, on a free loopback port.

In-process rather than a child process: the simulator reaches it over HTTP all the same, and it
shares the simulator's event loop (and, for the service, the test session's open database).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp

from simulator.toolkit.servers import LOOPBACK

START_POLL_SECONDS = 0.02


class AppDidNotStart(RuntimeError):
    """The app's server exited during start-up."""


def loopback_socket() -> socket.socket:
    """A socket bound to a free loopback port, for `serving` to listen on.

    Bound, not just chosen: a port chosen and released could be bound by another server or
    taken by an outgoing connection before this one's server binds it. Without SO_REUSEADDR, so
    nothing else can bind the port while it waits.
    """
    bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        bound.bind((LOOPBACK, 0))
    except OSError:
        bound.close()
        raise
    return bound


def url_of(bound: socket.socket) -> str:
    """The base URL `serving` will answer on for the socket `bound`."""
    return f"http://{LOOPBACK}:{bound.getsockname()[1]}"


@asynccontextmanager
async def serving(
    app: ASGIApp, name: str, *, bound: socket.socket | None = None
) -> AsyncIterator[str]:
    """`app` served for the duration (on the socket `bound`, else on a free port); yields its
    base URL. The socket is closed after. `name` says what failed to start."""
    listening = loopback_socket() if bound is None else bound
    with listening:
        port = int(listening.getsockname()[1])
        config = uvicorn.Config(
            app, host=LOOPBACK, port=port, log_config=None, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        served = asyncio.create_task(server.serve(sockets=[listening]))
        while not server.started:
            if served.done():
                raise AppDidNotStart(f"{name} stopped during start-up (see its log)")
            await asyncio.sleep(START_POLL_SECONDS)
        try:
            yield url_of(listening)
        finally:
            server.should_exit = True
            await served
