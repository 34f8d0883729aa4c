"""The latency proxy: stripe-mock's answers, unchanged, each as late as asked, however many at
once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import httpx
import pytest

from simulator.toolkit.latency_proxy import latency_proxy_server
from simulator.toolkit.servers import ChildServer

DELAY_MS = 200
AT_ONCE = 50
# Scheduling slack on a busy two-core machine; far below a second delay.
SLACK_SECONDS = 0.15


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

    assert DELAY_MS / 1000 <= seconds < DELAY_MS / 1000 + SLACK_SECONDS
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
