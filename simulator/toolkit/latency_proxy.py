"""A TCP proxy that answers late: every byte from the upstream reaches the client `delay` later.

stripe-mock answers in about a millisecond and real Stripe in a few hundred, and only at real
latency does a service show whether it keeps many Stripe calls in flight at once (connection
pools, event-loop work per request). The delay is added to the answer's path only, byte for byte
in order, like a long cable: the proxy parses no HTTP, so keep-alive, pipelining and any
client behave as they would over the network. It runs as a child process of its own
(`python -m simulator.toolkit.latency_proxy`), so its CPU counts for neither side it sits between.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import uvloop

from simulator.toolkit.servers import LOOPBACK, ChildServer

READ_BYTES = 65_536
MODULE = "simulator.toolkit.latency_proxy"


class LatencyProxy:
    """Forwards connections on `LOOPBACK:port` to `upstream` (host, port), answers `delay` late."""

    def __init__(self, upstream: tuple[str, int], delay_seconds: float) -> None:
        self.upstream = upstream
        self.delay_seconds = delay_seconds

    async def serve(self, port: int) -> None:
        server = await asyncio.start_server(self._connection, LOOPBACK, port, backlog=4096)
        async with server:
            await server.serve_forever()

    async def _connection(
        self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            client_writer.close()
            return
        try:
            async with asyncio.TaskGroup() as both_ways:
                both_ways.create_task(_copy(client_reader, upstream_writer))
                both_ways.create_task(self._copy_late(upstream_reader, client_writer))
        except* OSError:
            pass  # either side hung up abruptly: the other is closed below
        finally:
            for writer in (client_writer, upstream_writer):
                writer.close()

    async def _copy_late(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Each chunk is written `delay` after it arrived, in order; the EOF travels late too."""
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await chunks.get()
                await asyncio.sleep(due - loop.time())
                if not chunk:
                    return
                writer.write(chunk)
                await writer.drain()

        delivering = asyncio.create_task(deliver())
        try:
            while True:
                chunk = await reader.read(READ_BYTES)
                chunks.put_nowait((loop.time() + self.delay_seconds, chunk))
                if not chunk:
                    break
            await delivering
        finally:
            delivering.cancel()


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(READ_BYTES):
        writer.write(chunk)
        await writer.drain()
    with contextlib.suppress(OSError):
        writer.write_eof()


def latency_proxy_server(upstream_url: str, delay_ms: float, log_path: Path | None) -> ChildServer:
    """The proxy as a child server in front of `upstream_url` (ready once the upstream answers
    through it)."""
    arguments = [MODULE, "--upstream", upstream_url, "--delay-ms", f"{delay_ms:g}"]
    proxy = ChildServer.python_module("latency proxy", arguments, log_path=log_path)
    proxy.probe_seconds += delay_ms / 1000  # the probe's answer comes late too
    return proxy


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    parser.add_argument("--upstream", required=True, help="http://host:port to forward to")
    parser.add_argument("--delay-ms", type=float, required=True, help="added to every answer")
    args = parser.parse_args(argv)
    upstream = urlsplit(args.upstream)
    if upstream.hostname is None or upstream.port is None:
        parser.error("--upstream must name a host and a port")
    proxy = LatencyProxy((upstream.hostname, upstream.port), args.delay_ms / 1000)
    uvloop.run(proxy.serve(args.port))


if __name__ == "__main__":
    main()
