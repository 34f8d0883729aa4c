"""The in-process service tells the time by the journey that asks: each request of a journey's
user names its moment, and a past-due grace runs on the journeys' clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from simulator.runner import SimulationConfig
from simulator.simulated_time import following_simulated_time, moment_header, simulated_now
from simulator.stripe_side.clock import EPOCH, SimClock


async def _now(_: Request) -> PlainTextResponse:
    return PlainTextResponse(simulated_now().isoformat())


def _client() -> httpx.AsyncClient:
    app = following_simulated_time(Starlette(routes=[Route("/now", _now)]))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")


async def test_a_request_is_answered_at_the_moment_its_journey_names():
    clock = SimClock()
    clock.advance_days(32)

    async with _client() as client:
        answer = await client.get("/now", headers=moment_header(clock))

    assert answer.text == datetime.fromtimestamp(EPOCH + 32 * 86_400, UTC).isoformat()


async def test_a_request_outside_any_journey_is_answered_at_the_wall_clock_time():
    async with _client() as client:
        answer = await client.get("/now")

    told = datetime.fromisoformat(answer.text)
    assert abs(told - datetime.now(UTC)) < timedelta(minutes=1)


async def test_the_grace_keeps_a_past_due_subscriber_in_for_two_days_of_the_journey(simulate):
    report = await simulate(scenarios=("past_due_grace_runs_out",), past_due_grace=True)

    assert report.past_due_grace
    assert report.passed, report.to_json()


def test_the_past_due_grace_needs_the_in_process_service():
    with pytest.raises(ValueError, match="in-process service"):
        SimulationConfig(
            past_due_grace=True,
            targets=("http://127.0.0.1:8000",),
            webhook_secret="whsec_x",
            jwt_secret="secret",
        )
