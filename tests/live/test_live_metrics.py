"""/metrics counts the live connections open on the instance and the billingChanged messages it
sends, so an operator sees how many browsers hold a WebSocket and how often they are pushed to."""

from __future__ import annotations

import asyncio
import time

import httpx

from services.models import User
from tests.live.support import WAIT_SECONDS, Instance, live_client, subscribed
from tests.metrics.support import scrape, value
from tests.webhooks.support import BASE_TIME, subscription

OPEN_CONNECTIONS = "billing_portal_live_connections"
MESSAGES = "billing_portal_billing_changed_messages_total"


async def metric(instance: Instance, name: str) -> float | None:
    async with httpx.AsyncClient(base_url=instance.url) as http:
        return value(await scrape(http), name)


async def settles_at(instance: Instance, name: str, expected: float) -> bool:
    """Whether `name` reaches `expected` within the wait (the server learns of a close a moment
    after the client)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while await metric(instance, name) != expected:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_no_live_connection_reads_zero(instance, database):
    assert await metric(instance, OPEN_CONNECTIONS) == 0


async def test_each_open_live_connection_is_counted(instance, token_for, database):
    async with subscribed(instance, token_for("user-1")), subscribed(instance, token_for("user-2")):
        assert await metric(instance, OPEN_CONNECTIONS) == 2


async def test_a_closed_live_connection_is_no_longer_counted(instance, token_for, database):
    async with subscribed(instance, token_for("user-1")):
        pass

    assert await settles_at(instance, OPEN_CONNECTIONS, 0)


async def test_a_refused_connection_is_never_counted(instance, database):
    async with live_client(instance) as client:
        assert not await client.admitted({"Authorization": "Bearer not-a-token"})

        assert await metric(instance, OPEN_CONNECTIONS) == 0


async def test_the_first_billing_changed_message_is_counted(instance, token_for, database):
    async with subscribed(instance, token_for("user-1")):
        assert await metric(instance, MESSAGES) == 1


async def test_each_push_after_a_change_is_counted(instance, token_for, database):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")
    async with subscribed(instance, token_for("user-1")) as client:
        await instance.deliver(
            "customer.subscription.created",
            subscription("sub_1", "cus_1", "active"),
            created=BASE_TIME,
        )
        await client.next_viewer()

        assert await metric(instance, MESSAGES) == 2
