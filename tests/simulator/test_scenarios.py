"""Every scenario passes end to end, in each billing mode, with orderly and chaotic webhooks."""

from __future__ import annotations

import re

import pytest

from simulator.billing_modes import DEFAULT_BILLING_MODE
from simulator.scenarios import SCENARIOS
from tests.simulator.scenario_matrix import CELLS, JOURNEYS_PER_SCENARIO, cell_id

# The run that repeats a matrix cell: chaos, where timing could most easily leak into a report.
CHAOTIC = (DEFAULT_BILLING_MODE, True)
STRIPE_MOCK_ID = re.compile(r"\b(cus|cs|bps|pi|pm|sub|in|evt)_[A-Za-z0-9]{8,}")

MATRIX = [
    pytest.param(mode, chaos, scenario, id=f"{cell_id(mode, chaos)}-{scenario}")
    for mode, chaos in CELLS
    for scenario in SCENARIOS
]


@pytest.mark.parametrize(("mode", "chaos", "scenario"), MATRIX)
async def test_the_scenario_passes(scenario_matrix, mode, chaos, scenario):
    journeys = await scenario_matrix.journeys(mode, chaos, scenario)

    assert len(journeys) == JOURNEYS_PER_SCENARIO[chaos]
    for journey in journeys:
        unreached = [f"not run: {step}" for step in journey.not_run]
        assert journey.passed, "\n".join([*journey.failures, *unreached])


@pytest.mark.parametrize(
    ("mode", "chaos"),
    [pytest.param(mode, chaos, id=cell_id(mode, chaos)) for mode, chaos in CELLS if chaos],
)
async def test_chaos_duplicates_deliveries_and_forges_one_per_step(scenario_matrix, mode, chaos):
    report = await scenario_matrix.report(mode, chaos)

    totals = report.totals()
    assert totals["duplicates"] > 0
    assert totals["forged_rejected"] >= totals["steps"]  # at least one per step, each refused


@pytest.mark.parametrize(("mode", "chaos"), [CHAOTIC], ids=[cell_id(*CHAOTIC)])
async def test_the_same_seed_gives_the_same_report_whatever_the_ids(scenario_matrix, mode, chaos):
    first = await scenario_matrix.report(mode, chaos)
    second = await scenario_matrix.play_again(mode, chaos)

    assert first.to_json(timings=False) == second.to_json(timings=False)


async def test_the_report_names_objects_by_role_never_by_id(simulate):
    report = await simulate(seed=3, scenarios=("immediate_cancel",))

    text = report.to_json()
    assert STRIPE_MOCK_ID.search(text) is None
    assert "_sim_" not in text
    assert report.journeys[0].customer == "customer 1"
