"""The latency proxy: stripe-mock's answers, unchanged, each as late as asked, however many at
once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from simulator.toolkit.latency_proxy import latency_proxy_server
from simulator.toolkit.servers import PROBE_SECONDS, ChildServer

DELAY_MS = 500
AT_ONCE = 50


@pytest.fixture(scope="module")
def late_stripe(stripe_mock) -> Iterator[ChildServer]:
    with latency_proxy_server(stripe_mock.url, DELAY_MS, None) as proxy:
        yield proxy


async def timed_get(http: httpx.AsyncClient, path: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await http.get(path)
    return time.perf_counter() - started, response


async def test_an_answer_comes_as_late_as_asked_and_unchanged(late_stripe, stripe_mock):
    auth = ("sk_test_proxy", "")
    async with (
        httpx.AsyncClient(base_url=late_stripe.url, auth=auth) as late,
        httpx.AsyncClient(base_url=stripe_mock.url, auth=auth) as direct,
    ):
        await timed_get(late, "/v1/customers/cus_warm")  # the connection, once
        seconds, answer = await timed_get(late, "/v1/customers/cus_1")
        expected = await direct.get("/v1/customers/cus_1")

    assert DELAY_MS / 1000 <= seconds < 2 * DELAY_MS / 1000  # delayed once, not twice
    assert (answer.status_code, answer.json()) == (expected.status_code, expected.json())


async def test_answers_to_requests_at_once_are_delayed_once_not_in_turn(late_stripe):
    limits = httpx.Limits(max_connections=AT_ONCE)
    async with httpx.AsyncClient(
        base_url=late_stripe.url, auth=("sk_test_proxy", ""), limits=limits
    ) as late:
        started = time.perf_counter()
        answers = await asyncio.gather(
            *(late.get(f"/v1/customers/cus_{n}") for n in range(AT_ONCE))
        )
        seconds = time.perf_counter() - started

    assert {answer.status_code for answer in answers} == {200}
    assert seconds < 3 * DELAY_MS / 1000  # in turn, they would take AT_ONCE times the delay


def test_a_proxy_later_than_a_readiness_probe_waits_still_starts(stripe_mock):
    later_than_a_probe_ms = (PROBE_SECONDS + 0.5) * 1000

    proxy = latency_proxy_server(stripe_mock.url, later_than_a_probe_ms, None)

    with proxy:  # started: the upstream answered through it
        assert proxy.pid > 0
