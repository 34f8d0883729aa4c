"""Every scenario of the contract passes end to end, in order and under chaos."""

from __future__ import annotations

import re

from simulator.scenarios import SCENARIOS

STRIPE_MOCK_ID = re.compile(r"\b(cus|cs|bps|pi|pm|sub|in|evt)_[A-Za-z0-9]{8,}")


async def test_every_scenario_passes_with_orderly_webhooks(simulate):
    report = await simulate(seed=1)

    assert report.passed, report.to_json()
    assert sorted(journey.scenario for journey in report.journeys) == sorted(SCENARIOS)


async def test_every_scenario_passes_when_webhooks_are_disordered_and_forged(simulate):
    report = await simulate(seed=2, chaos=True, users=2 * len(SCENARIOS), concurrency=8)

    assert report.passed, report.to_json()
    totals = report.totals()
    assert totals["duplicates"] > 0
    assert totals["forged_rejected"] >= totals["steps"]  # at least one per step, each refused


async def test_the_same_seed_gives_the_same_report_whatever_the_ids(simulate):
    first = await simulate(seed=7, chaos=True, namespace="first-run")
    second = await simulate(seed=7, chaos=True, namespace="second-run")

    assert first.passed, first.to_json()
    assert first.to_json(timings=False) == second.to_json(timings=False)


async def test_the_report_names_objects_by_role_never_by_id(simulate):
    report = await simulate(seed=3, scenarios=("immediate_cancel",))

    text = report.to_json()
    assert STRIPE_MOCK_ID.search(text) is None
    assert "_sim_" not in text
    assert report.journeys[0].customer == "customer 1"
