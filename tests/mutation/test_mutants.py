"""A representative handful of mutants, each caught by a scenario (the full check is
`python -m tests.mutation`); and every mutant of the catalog still fits the code it breaks."""

from __future__ import annotations

import pytest

from tests.mutation.catalog import all_mutants, mutant

# One per kind of break, each with the scenario (and billing mode) that catches it.
CAUGHT = [
    ("drop customer.subscription.updated", "immediate_cancel", "classic"),
    ("drop customer.updated", "update_card_in_portal", "flexible"),
    ("freeze Subscription.status", "immediate_cancel", "flexible"),
    ("freeze Invoice.status", "immediate_cancel", "classic"),
    ("rule: reverse the same-second ranking of invoices", "immediate_cancel", "flexible"),
    ("rule: entitled statuses inverted", "immediate_cancel", "classic"),
    ("rule: a scheduled end is ignored", "subscribe_then_cancel_in_portal", "flexible"),
    ("rule: drafts are mirrored as open invoices", "renewal_over_two_periods", "classic"),
    ("rule: no fallback to the subscription's card", "immediate_cancel", "flexible"),
    ("freeze Subscription.cancel_at", "subscribe_then_cancel_in_portal", "flexible"),
    ("drop checkout.session.completed", "one_time_purchase", "classic"),
    ("drop charge.refunded", "refund_ends_one_time_purchase", "flexible"),
    (
        "drop entitlements.active_entitlement_summary.updated",
        "subscribe_then_cancel_in_portal",
        "classic",
    ),
]


@pytest.mark.parametrize(("mutant_id", "scenario", "mode"), CAUGHT, ids=[c[0] for c in CAUGHT])
async def test_a_scenario_catches_the_mutant(simulate, monkeypatch, mutant_id, scenario, mode):
    mutant(mutant_id).apply(monkeypatch)

    report = await simulate(scenarios=(scenario,), billing_mode=mode)

    assert report.setup_failure is None
    assert not report.journeys[0].passed


async def test_the_past_due_grace_catches_a_frozen_finalization(simulate, monkeypatch):
    """Only the grace reads when an invoice was finalized, so only a run that gives one can."""
    mutant("freeze Invoice.finalized_at").apply(monkeypatch)

    report = await simulate(scenarios=("past_due_grace_runs_out",), past_due_grace=True)

    assert report.setup_failure is None
    assert not report.journeys[0].passed


@pytest.mark.parametrize("candidate", all_mutants(), ids=lambda candidate: candidate.id)
def test_the_mutant_still_fits_the_code(candidate):
    with pytest.MonkeyPatch.context() as patch:
        candidate.apply(patch)
