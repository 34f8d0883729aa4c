"""The gateway keeps many Stripe calls in flight at once, up to STRIPE_MAX_CONNECTIONS, each
waiting for Stripe only (here stripe-mock answering late through the latency proxy)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest

from billing_portal.settings import load_settings
from services.stripe_gateway import StripeGateway
from simulator.toolkit.latency_proxy import latency_proxy_server
from simulator.toolkit.servers import ChildServer

# Long beside the CPU the calls themselves take on a loaded two-core machine (up to a second):
# waiting for Stripe once or twice stays plain.
DELAY_SECONDS = 1.5
# More than the 100 connections of httpx's default pool, which the SDK's own client has.
AT_ONCE = 150


@pytest.fixture(scope="module")
def late_stripe(stripe_mock) -> Iterator[ChildServer]:
    with latency_proxy_server(stripe_mock.url, DELAY_SECONDS * 1000, None) as proxy:
        yield proxy


def retrieve(customer_id: str) -> Callable[[Any], Awaitable[Any]]:
    return lambda v1: v1.customers.retrieve_async(customer_id)


async def seconds_for_calls_at_once(api_base: str, calls: int, **options) -> float:
    gateway = StripeGateway(api_key="sk_test_pool", api_base=api_base, **options)
    try:
        await gateway.call(lambda v1: v1.customers.retrieve_async("cus_warm"))
        started = time.perf_counter()
        await asyncio.gather(*(gateway.call(retrieve(f"cus_{n}")) for n in range(calls)))
        return time.perf_counter() - started
    finally:
        await gateway.close()


async def test_calls_at_once_each_wait_for_stripe_once(late_stripe):
    seconds = await seconds_for_calls_at_once(late_stripe.url, AT_ONCE)

    assert seconds < 2 * DELAY_SECONDS


async def test_calls_beyond_the_pool_wait_for_a_connection(late_stripe):
    seconds = await seconds_for_calls_at_once(late_stripe.url, 10, max_connections=5)

    assert seconds >= 2 * DELAY_SECONDS


def test_the_pool_holds_512_connections_unless_configured():
    assert load_settings(billing_env="test").stripe_max_connections == 512
    assert load_settings(billing_env="test", stripe_max_connections=64).stripe_max_connections == 64
