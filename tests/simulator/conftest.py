"""The simulator's fixtures: a run against the in-process service on the suite's database, and
a simulated Stripe account alone, recording what it sends."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.report import Report
from simulator.runner import SimulationConfig, run_simulation
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.simulator.scenario_matrix import ScenarioMatrix
from tests.simulator.stripe_account import Account, recorded_account

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


@pytest.fixture
def billing_mode() -> BillingMode:
    """Stripe's default mode; a test parametrizes `billing_mode` to run in each mode."""
    return DEFAULT_BILLING_MODE


@pytest.fixture
async def account(
    stripe_mock: StripeMockServer, billing_mode: BillingMode
) -> AsyncIterator[Account]:
    """One customer of a simulated Stripe account in `billing_mode`, recording its events."""
    async with recorded_account(stripe_mock.url, billing_mode) as recorded:
        yield recorded


@pytest.fixture(scope="session")
def scenario_matrix(stripe_mock: StripeMockServer, database: str) -> ScenarioMatrix:
    """Every scenario in each mode, with and without chaos, each cell played once per session."""
    return ScenarioMatrix(stripe_mock.url, database)
