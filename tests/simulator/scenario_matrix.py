"""The scenario matrix: every scenario in each billing mode, with orderly or chaotic webhooks.

One run per cell plays all scenarios concurrently (the runner's own concurrency), and the cell's
report is kept for the session: the scenario tests and the golden-trace tests read the same
journeys, so the matrix is played once however many tests look at it. On PostgreSQL the suite
plays the chaos cells only: what PostgreSQL adds is concurrent writers, which chaos exercises.
The default mode's cells give the service the simulator's past-due grace and the classic cells
none, so every run of the matrix plays the past-due steps both ways without a cell more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from simulator.billing_modes import BILLING_MODES, DEFAULT_BILLING_MODE, BillingMode
from simulator.report import JourneyResult, Report
from simulator.runner import SimulationConfig, run_simulation
from simulator.scenarios import SCENARIOS
from tests.support import configured_postgres_url

CHAOS_CELLS = (True,) if configured_postgres_url() else (False, True)
CELLS = [(mode, chaos) for mode in BILLING_MODES for chaos in CHAOS_CELLS]
# Under chaos each scenario is played by two customers at once, with different seeded disorder.
JOURNEYS_PER_SCENARIO = {False: 1, True: 2}
SEEDS = {False: 1, True: 2}


def cell_id(mode: BillingMode, chaos: bool) -> str:
    return f"{mode}-{'chaos' if chaos else 'orderly'}"


def cell_config(mode: BillingMode, chaos: bool, **stage: Any) -> SimulationConfig:
    """The run of one cell: every scenario, on the `stage` given (stripe-mock, database)."""
    return SimulationConfig(
        users=JOURNEYS_PER_SCENARIO[chaos] * len(SCENARIOS),
        seed=SEEDS[chaos],
        chaos=chaos,
        billing_mode=mode,
        past_due_grace=mode == DEFAULT_BILLING_MODE,
        **stage,
    )


@dataclass
class ScenarioMatrix:
    stripe_mock_url: str
    database_url: str
    reports: dict[tuple[BillingMode, bool], Report | BaseException] = field(default_factory=dict)

    async def report(self, mode: BillingMode, chaos: bool) -> Report:
        """The cell's report; a run that crashed raises its error again, without running again."""
        if (mode, chaos) not in self.reports:
            try:
                self.reports[mode, chaos] = await self.play_again(mode, chaos)
            except Exception as error:
                self.reports[mode, chaos] = error
        played = self.reports[mode, chaos]
        if isinstance(played, BaseException):
            raise played
        return played

    async def play_again(self, mode: BillingMode, chaos: bool) -> Report:
        """A fresh run of the cell (same seed, new ids), not kept."""
        config = cell_config(
            mode,
            chaos,
            stripe_mock_url=self.stripe_mock_url,
            database_url=self.database_url,
            manage_database=False,
        )
        return await run_simulation(config)

    async def journeys(self, mode: BillingMode, chaos: bool, scenario: str) -> list[JourneyResult]:
        report = await self.report(mode, chaos)
        assert report.setup_failure is None, report.setup_failure
        return [journey for journey in report.journeys if journey.scenario == scenario]
