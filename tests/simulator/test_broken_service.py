"""A service that gets one rule wrong fails the journey that exercises it, and says how.

The sabotage reaches into one webhook handler of the in-process service (its mirror write), the
smallest break a real regression could make; the simulator itself still sees only HTTP.
"""

from __future__ import annotations

from services.mirror.handlers import subscriptions
from services.mirror.store import write_if_newer


async def test_a_lost_cancel_at_period_end_fails_that_step_with_expected_and_returned(
    simulate, monkeypatch
):
    async def forgetting_cancellations(connection, model, values, version):
        await write_if_newer(connection, model, {**values, "cancel_at_period_end": False}, version)

    monkeypatch.setattr(subscriptions, "write_if_newer", forgetting_cancellations)

    report = await simulate(scenarios=("subscribe_then_cancel_in_portal", "immediate_cancel"))

    broken, unaffected = report.journeys
    assert broken.failures == [
        "cancels at period end in the portal: "
        "expected cancel_at_period_end=True, the service returned False"
    ]
    assert broken.not_run == ["reaches the end of the paid period"]
    assert unaffected.passed
    assert not report.passed
