"""An ASGI app served in this process under uvicorn, on a free loopback port.

In-process rather than a child process: the simulator reaches it over HTTP all the same, and it
shares the simulator's event loop (and, for the service, the test session's open database).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from starlette.types import ASGIApp

from simulator.toolkit.servers import LOOPBACK, free_port

START_POLL_SECONDS = 0.02


class AppDidNotStart(RuntimeError):
    """The app's server exited during start-up."""


@asynccontextmanager
async def serving(app: ASGIApp, name: str, *, port: int | None = None) -> AsyncIterator[str]:
    """`app` served for the duration (on `port`, else a free one); yields its base URL. `name`
    says what failed to start."""
    port = free_port() if port is None else port
    config = uvicorn.Config(
        app, host=LOOPBACK, port=port, log_config=None, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    served = asyncio.create_task(server.serve())
    while not server.started:
        if served.done():
            raise AppDidNotStart(f"{name} stopped during start-up (see its log)")
        await asyncio.sleep(START_POLL_SECONDS)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        await served
