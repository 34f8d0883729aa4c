"""A request that gets no answer says which exception replaced the answer and what was expected;
a webhook delivery lost on a connection the server dropped is sent again on a fresh one.

The peer is a real loopback server that drops chosen connections without a word, the way a
server closing an idle keep-alive connection drops a request sent on it.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
import uvicorn

from simulator.app_users import AppUser
from simulator.stripe_side.webhooks import Delivery, WebhookEndpoint
from simulator.toolkit.connections import KEEPALIVE_EXPIRY_SECONDS, service_client
from simulator.toolkit.graphql import GraphQLClient, ServiceUnreachable

OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}"


@asynccontextmanager
async def peer(answers: list[bytes | None]) -> AsyncIterator[str]:
    """Answers the n-th request with `answers[n]`; None drops the connection unanswered."""
    pending = iter(answers)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
        await reader.readexactly(int(length.group(1)) if length else 0)
        answer = next(pending, None)
        if answer is not None:
            writer.write(answer)
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}"


def _delivery() -> Delivery:
    return Delivery("customer.updated", b'{"id":"evt_1"}', None, 0.0)


async def test_a_call_without_an_answer_names_the_exception_and_what_was_expected():
    async with peer([None]) as url, service_client(concurrency=1) as http:
        user = AppUser(GraphQLClient(http, f"{url}/graphql", "token"))

        with pytest.raises(ServiceUnreachable) as raised:
            await user.viewer()

    assert re.fullmatch(
        r"ViewerState: POST /graphql got no HTTP answer \((RemoteProtocolError|ReadError)"
        r"[^)]*\), expected a GraphQL answer",
        str(raised.value),
    )


async def test_a_webhook_delivery_lost_on_a_dropped_connection_is_sent_again_at_once():
    async with peer([None, OK]) as url, service_client(concurrency=1) as http:
        endpoint = WebhookEndpoint(http, f"{url}/webhooks/stripe", "whsec_test")

        [(_, answer)] = await endpoint.deliver([_delivery()], at_once=False)

    assert answer == 200


async def test_a_webhook_delivery_that_never_gets_an_answer_says_why():
    async with peer([]) as url, service_client(concurrency=1) as http:
        endpoint = WebhookEndpoint(http, f"{url}/webhooks/stripe", "whsec_test")

        [(_, answer)] = await endpoint.deliver([_delivery()], at_once=False)

    assert isinstance(answer, str)
    assert answer.startswith("POST /webhooks/stripe got no HTTP answer")


def test_idle_connections_expire_well_before_uvicorn_closes_them():
    uvicorn_keep_alive = uvicorn.Config(app=lambda: None).timeout_keep_alive

    assert uvicorn_keep_alive >= KEEPALIVE_EXPIRY_SECONDS * 2
