"""The simulator's fixtures: a run against the in-process service on the suite's database."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from simulator.report import Report
from simulator.runner import SimulationConfig, run_simulation
from simulator.toolkit.stripe_mock import StripeMockServer

Simulate = Callable[..., Awaitable[Report]]


@pytest.fixture
def simulate(stripe_mock: StripeMockServer, database: str) -> Simulate:
    """`await simulate(seed=3, chaos=True)`: a run on the suite's database and stripe-mock."""

    async def run(**options: Any) -> Report:
        config = SimulationConfig(
            stripe_mock_url=stripe_mock.url,
            database_url=database,
            manage_database=False,
            **options,
        )
        return await run_simulation(config)

    return run
