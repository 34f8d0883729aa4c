"""Every scenario has a golden trace, and the Stripe side generates what its trace says.

The traces are written from the behaviour reference, not from the Stripe side's code: a change
that makes the Stripe side drift from the reference fails here even when the service copes.
"""

from __future__ import annotations

import pytest

from simulator.scenarios import SCENARIOS
from simulator.traces import check_journey, load_trace, steps_of, trace_names
from tests.simulator.scenario_matrix import CELLS, cell_id


def test_every_scenario_has_a_golden_trace():
    assert sorted(SCENARIOS) == trace_names()


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_the_trace_describes_the_steps_of_its_scenario(scenario):
    trace = load_trace(scenario)

    described = [step.description for step in trace.steps]
    assert described == [step.description for step in SCENARIOS[scenario].steps]


@pytest.mark.parametrize(
    ("mode", "chaos", "scenario"),
    [
        pytest.param(mode, chaos, scenario, id=f"{cell_id(mode, chaos)}-{scenario}")
        for mode, chaos in CELLS
        for scenario in SCENARIOS
    ],
)
async def test_the_stripe_side_follows_the_golden_trace(scenario_matrix, mode, chaos, scenario):
    trace = load_trace(scenario)
    journeys = await scenario_matrix.journeys(mode, chaos, scenario)

    divergences = [
        f"{journey.customer}: {divergence}"
        for journey in journeys
        for divergence in check_journey(trace, steps_of(journey), mode)
    ]
    assert not divergences, "\n".join(divergences)
