"""A minimal keep-alive HTTP/1.1 client for the load process.

httpx spends more CPU per request than a bare Starlette endpoint does, so with it the bench would
measure its own client and every ratio would drift toward 1. This client does only what the
bench's POSTs need: one request at a time per connection, Content-Length or chunked answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from urllib.parse import urlsplit


class ProtocolError(RuntimeError):
    """The server answered something this client does not read (or closed the connection)."""


class Connection:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def _streams(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._reader is None or self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        return self._reader, self._writer

    async def post(self, path: str, headers: bytes, body: bytes) -> tuple[int, bytes]:
        """Send one POST (`headers` already encoded, one `name: value\\r\\n` per line)."""
        reader, writer = await self._streams()
        try:
            writer.write(
                b"POST %s HTTP/1.1\r\nhost: %s\r\ncontent-length: %d\r\n%s\r\n%s"
                % (path.encode(), self.host.encode(), len(body), headers, body)
            )
            return await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, ProtocolError):
            await self.close()
            raise

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(OSError):
                await self._writer.wait_closed()
        self._reader = self._writer = None


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head[:-4].split(b"\r\n")
    status = int(status_line.split(b" ", 2)[1])
    length: int | None = None
    chunked = False
    for line in header_lines:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        return status, await _read_chunks(reader)
    if length is None:
        raise ProtocolError("an answer without Content-Length or chunked encoding")
    return status, await reader.readexactly(length)


async def _read_chunks(reader: asyncio.StreamReader) -> bytes:
    parts: list[bytes] = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        if size == 0:
            await reader.readuntil(b"\r\n")
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)


class ConnectionPool:
    """Connections to one origin, each used by one request at a time (load workers share it)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None:
            raise ValueError(f"the load client speaks plain http to loopback only, not {url}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.path = parts.path or "/"
        self._idle: list[Connection] = []
        self._all: list[Connection] = []

    async def post(self, headers: bytes, body: bytes) -> tuple[int, bytes]:
        """POST to the pool's path; `headers` as `encode_headers` makes them."""
        connection = self._idle.pop() if self._idle else self._new()
        try:
            return await connection.post(self.path, headers, body)
        finally:
            self._idle.append(connection)

    def _new(self) -> Connection:
        connection = Connection(self.host, self.port)
        self._all.append(connection)
        return connection

    async def close(self) -> None:
        for connection in self._all:
            await connection.close()
        self._idle.clear()
        self._all.clear()


def encode_headers(headers: Mapping[str, str]) -> bytes:
    return b"".join(
        b"%s: %s\r\n" % (name.encode(), value.encode()) for name, value in headers.items()
    )
