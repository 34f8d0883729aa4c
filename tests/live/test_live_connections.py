"""What a live connection must be to stay open: admitted by a valid token in connection_init,
within the user's connection limit, pinged while quiet, closed when its token expires."""

from __future__ import annotations

import asyncio
import time

import pytest
from websockets.exceptions import InvalidStatus

from services.auth import CLOCK_SKEW_SECONDS
from tests.live.support import WAIT_SECONDS, live_client, running, subscribed

FORBIDDEN = 4403
UNAUTHORIZED = 4401
TRY_AGAIN_LATER = 1013
TOKEN_TTL_SECONDS = 2


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"token": 42},
    ],
)
async def test_a_connection_without_a_valid_token_is_closed_with_4403(instance, database, payload):
    async with live_client(instance) as client:
        await client.send({"type": "connection_init", **({"payload": payload} if payload else {})})

        assert await client.close_code() == FORBIDDEN


@pytest.mark.parametrize("expired_seconds_ago", [5, 120])
async def test_an_expired_token_is_closed_with_4403(
    instance, database, token_for, expired_seconds_ago
):
    token = token_for("user-1", ttl_seconds=-expired_seconds_ago)
    async with live_client(instance) as client:
        await client.send({"type": "connection_init", "payload": {"token": token}})

        assert await client.close_code() == FORBIDDEN


@pytest.mark.parametrize("payload_of", [lambda t: {"token": t}, lambda t: {"authorization": t}])
async def test_the_token_may_come_bare_or_as_an_authorization_value(
    instance, database, token_for, payload_of
):
    token = token_for("user-1")
    bearer = payload_of(token)
    if "authorization" in bearer:
        bearer = {"authorization": f"Bearer {token}"}
    async with live_client(instance) as client:
        ack = await client.init(bearer)

    assert ack == {"type": "connection_ack"}


async def test_a_subscribe_before_connection_init_is_closed_with_4401(instance, database):
    async with live_client(instance) as client:
        await client.subscribe()

        assert await client.close_code() == UNAUTHORIZED


async def test_the_connection_is_closed_with_4403_when_its_token_expires(
    instance, database, token_for
):
    # The verifier allows some clock skew past `exp`: the connection still ends at `exp` itself,
    # long before the skew would have ended it (which leaves a loaded machine seconds of slack).
    token = token_for("user-1", ttl_seconds=TOKEN_TTL_SECONDS)
    closed_within = TOKEN_TTL_SECONDS + CLOCK_SKEW_SECONDS / 2
    async with subscribed(instance, token) as client:
        started = time.monotonic()

        assert await client.close_code(within=closed_within) == FORBIDDEN
        assert time.monotonic() - started < closed_within


async def test_a_user_holds_at_most_the_configured_live_connections(settings, database, token_for):
    async with running(settings, live_connections_per_user=2) as limited:
        token = token_for("user-1")
        async with subscribed(limited, token), subscribed(limited, token):
            async with live_client(limited) as third:
                await third.send({"type": "connection_init", "payload": {"token": token}})
                assert await third.close_code() == TRY_AGAIN_LATER
            async with subscribed(limited, token_for("user-2")):
                pass


async def test_a_closed_connection_gives_its_place_back(settings, database, token_for):
    async with running(settings, live_connections_per_user=1) as limited:
        token = token_for("user-1")
        async with subscribed(limited, token):
            pass
        deadline = time.monotonic() + WAIT_SECONDS
        while True:  # the server learns of the close a moment after the client
            async with live_client(limited) as again:
                if await again.admitted({"token": token}):
                    break
            assert time.monotonic() < deadline, "the closed connection kept its place"
            await asyncio.sleep(0.1)


async def test_a_quiet_connection_is_pinged(settings, database, token_for):
    async with (
        running(settings, live_ping_seconds=1) as pinging,
        subscribed(pinging, token_for("user-1")) as client,
    ):
        await client.nothing_within(2.5)

        assert client.pings >= 1


async def test_queries_and_mutations_are_not_run_over_the_websocket(instance, database, token_for):
    async with live_client(instance) as client:
        await client.init({"token": token_for("user-1")})
        await client.subscribe("query { viewer { id } }")

        message = await client.receive()

    assert message["type"] == "error"
    assert [error["extensions"]["code"] for error in message["payload"]] == ["BAD_USER_INPUT"]


async def test_a_page_of_an_origin_not_allowed_cannot_open_the_websocket(instance, database):
    with pytest.raises(InvalidStatus) as refused:
        async with live_client(instance, origin="https://evil.example.com"):
            pass

    assert refused.value.response.status_code == 403


async def test_a_page_of_an_allowed_origin_opens_the_websocket(instance, database, token_for):
    [origin, *_] = instance.settings.cors_allow_origins
    async with live_client(instance, origin=origin) as client:
        ack = await client.init({"token": token_for("user-1")})

    assert ack == {"type": "connection_ack"}
