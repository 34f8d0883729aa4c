"""Checkout's webhooks delayed past the return: every journey confirms its session on the success
page and sees its plan there at once, and the webhooks that follow (in order, or disordered,
duplicated and forged) leave it as shown."""

from __future__ import annotations

import pytest

from simulator.runner import SimulationConfig
from simulator.scenarios import SCENARIOS


def _passes(report) -> None:
    assert report.setup_failure is None
    for journey in report.journeys:
        unreached = [f"not run: {step}" for step in journey.not_run]
        assert journey.passed, "\n".join([journey.scenario, *journey.failures, *unreached])


@pytest.mark.parametrize("chaos", [False, True], ids=["orderly", "chaos"])
async def test_every_journey_sees_its_purchase_on_the_success_page(simulate, chaos):
    report = await simulate(seed=5, chaos=chaos, webhooks_after_return=True)

    assert len(report.journeys) == len(SCENARIOS)
    assert report.webhooks_after_return
    _passes(report)


async def test_a_success_page_that_shows_no_plan_fails_the_step(simulate, monkeypatch):
    async def shows_nothing(self, session_id):
        return await self.viewer()

    monkeypatch.setattr("simulator.app_users.AppUser.confirm_checkout", shows_nothing)

    report = await simulate(seed=5, scenarios=("immediate_cancel",), webhooks_after_return=True)

    [journey] = report.journeys
    assert journey.steps[0].failures
    assert all(failure.startswith("on the success page") for failure in journey.steps[0].failures)


def test_webhooks_after_return_needs_the_in_process_service():
    with pytest.raises(ValueError, match="in-process service"):
        SimulationConfig(
            webhooks_after_return=True,
            targets=("http://127.0.0.1:8000",),
            webhook_secret="whsec_x",
            jwt_secret="secret",
        )
