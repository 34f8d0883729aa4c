"""The golden-trace checker: it reports every divergence from a trace, and only divergences from
what the trace says Stripe guarantees (never an order within a burst)."""

from __future__ import annotations

import pytest

from simulator.toolkit.events import event_envelope
from simulator.traces import StepEvents, TraceInvalid, check_journey, load_trace

T = 1_800_000_000

TRACE = """
scenario = "cancel"

[[steps]]
description = "cancels"

[[steps.bursts]]
absent = { "invoice.created" = "cancel.period-end-reached" }
[[steps.bursts.events]]
type = "customer.subscription.updated"
row = "portal.cancel.flexible"
[steps.bursts.events.expect]
"portal.cancel.flexible".flexible = ["object.cancel_at_period_end == False"]
"portal.cancel.classic".classic = ["object.cancel_at_period_end == True"]
"portal.cancel.immediate" = ["within_burst(object.canceled_at)"]
[[steps.bursts.events]]
type = "invoiceitem.created"
row = "portal.switch-plan.prorations"
count = "1..2"

[[steps.bursts]]
after = 3600
[[steps.bursts.events]]
type = "customer.subscription.deleted"
row = "cancel.period-end-reached"
"""


def _event(kind: str, created: int, **fields: object) -> dict[str, object]:
    return event_envelope(f"evt_{kind}_{created}", kind, {"object": "x", **fields}, created)


def _update(created: int = T, *, scheduled: bool = False) -> dict[str, object]:
    return _event(
        "customer.subscription.updated",
        created,
        cancel_at_period_end=scheduled,
        canceled_at=created,
    )


def _journey(first: list[dict[str, object]], *later: list[dict[str, object]]) -> list[StepEvents]:
    """The step "cancels": `first`, then the `later` bursts (by default, the deletion an hour
    later that the trace expects)."""
    ending = list(later) or [[_event("customer.subscription.deleted", T + 3600)]]
    return [StepEvents("cancels", [first, *ending])]


@pytest.fixture
def trace(tmp_path):
    (tmp_path / "cancel.toml").write_text(TRACE)
    return load_trace("cancel", tmp_path)


def test_a_journey_as_the_trace_describes_has_no_divergence(trace):
    first = [_update(), _event("invoiceitem.created", T), _event("invoiceitem.created", T)]
    assert check_journey(trace, _journey(first), "flexible") == []


def test_the_events_of_a_burst_may_be_generated_in_any_order(trace):
    first = [_event("invoiceitem.created", T), _update(), _event("invoiceitem.created", T)]
    assert check_journey(trace, _journey(first), "flexible") == []


def test_a_missing_event_names_the_row_that_sends_it(trace):
    first = [_update(), _event("invoiceitem.created", T)]

    assert check_journey(trace, _journey(first, [_event("x.deleted", T + 3600)]), "flexible") == [
        'step 1 "cancels", burst 2: unexpected x.deleted x1',
        'step 1 "cancels", burst 2: expected customer.subscription.deleted x1, generated x0 '
        "[cancel.period-end-reached]",
    ]


def test_a_burst_generated_sooner_than_the_reference_allows_is_a_divergence(trace):
    first = [_update(), _event("invoiceitem.created", T)]
    later = [_event("customer.subscription.deleted", T + 60)]

    assert check_journey(trace, _journey(first, later), "flexible") == [
        'step 1 "cancels", burst 2: generated at 1800000060, expected at least 3600 s after the '
        "previous burst (last generated at 1800000000)"
    ]


def test_an_event_the_reference_says_stripe_does_not_send_names_that_row(trace):
    first = [_update(), _event("invoiceitem.created", T), _event("invoice.created", T)]
    assert check_journey(trace, _journey(first), "flexible") == [
        'step 1 "cancels", burst 1: unexpected invoice.created x1 '
        "[cancel.period-end-reached says Stripe does not send it here]"
    ]


def test_a_field_against_the_reference_shows_its_value_and_row(trace):
    first = [_update(scheduled=True), _event("invoiceitem.created", T)]
    assert check_journey(trace, _journey(first), "flexible") == [
        'step 1 "cancels", burst 1, customer.subscription.updated: '
        "object.cancel_at_period_end == False failed (object.cancel_at_period_end = True) "
        "[portal.cancel.flexible]"
    ]


def test_an_expectation_of_one_billing_mode_is_not_checked_in_the_other(trace):
    first = [_update(scheduled=True), _event("invoiceitem.created", T)]
    assert check_journey(trace, _journey(first), "classic") == []


def test_a_burst_spread_over_seconds_is_a_divergence(trace):
    first = [_update(), _event("invoiceitem.created", T + 2)]
    later = [_event("customer.subscription.deleted", T + 3602)]

    assert check_journey(trace, _journey(first, later), "flexible") == [
        'step 1 "cancels", burst 1: its events span 2 s of `created`, expected at most 1 s '
        "[events.same-second]"
    ]


def test_a_missing_key_is_named(trace):
    update = _event("customer.subscription.updated", T, cancel_at_period_end=False)
    first = [update, _event("invoiceitem.created", T)]
    assert check_journey(trace, _journey(first), "flexible") == [
        'step 1 "cancels", burst 1, customer.subscription.updated: '
        "within_burst(object.canceled_at) failed (object has no key 'canceled_at') "
        "[portal.cancel.immediate]"
    ]


def test_a_step_with_other_bursts_lists_both_sides(trace):
    divergences = check_journey(trace, [StepEvents("cancels", [[_update()]])], "flexible")

    assert divergences == [
        'step 1 "cancels": expected 2 bursts (customer.subscription.updated, '
        "invoiceitem.created; customer.subscription.deleted), the Stripe side generated 1 "
        "(customer.subscription.updated)"
    ]


def test_an_expression_outside_the_language_is_refused_when_loading(tmp_path):
    (tmp_path / "bad.toml").write_text(
        TRACE.replace('scenario = "cancel"', 'scenario = "bad"').replace(
            "object.cancel_at_period_end == True", "__import__('os')"
        )
    )

    with pytest.raises(TraceInvalid, match="names '__import__'"):
        load_trace("bad", tmp_path)


def test_a_row_the_reference_does_not_have_is_refused_when_loading(tmp_path):
    (tmp_path / "bad.toml").write_text(
        TRACE.replace('scenario = "cancel"', 'scenario = "bad"').replace(
            'row = "cancel.period-end-reached"', 'row = "stripe.does-what-we-assume"'
        )
    )

    with pytest.raises(TraceInvalid, match=r"'stripe\.does-what-we-assume' is not a row id"):
        load_trace("bad", tmp_path)
