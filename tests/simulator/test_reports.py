"""Failures read as "expected X, the service returned Y", in JSON and JUnit alike."""

from __future__ import annotations

from xml.etree import ElementTree

from simulator.expectations import State, differences
from simulator.report import JourneyResult, Report, StepResult
from simulator.stripe_side.webhooks import DeliveryLog


def _failed_report() -> Report:
    step = StepResult(
        description="cancels immediately in the portal",
        expected=State(status="CANCELED").as_dict(),
        deliveries=DeliveryLog(events=1),
        failures=["expected status='CANCELED', the service returned 'ACTIVE'"],
        duration_ms=12.5,
    )
    journey = JourneyResult(
        customer="customer 2", scenario="immediate_cancel", steps=[step], duration_ms=12.5
    )
    return Report(
        seed=1,
        chaos=False,
        scenarios=["immediate_cancel"],
        users=1,
        concurrency=1,
        journeys=[journey],
        wall_seconds=0.2,
    )


def test_a_difference_names_the_field_what_was_expected_and_what_came_back():
    expected = State(status="CANCELED", active=False)
    observed = State(status="ACTIVE", active=True)

    assert differences(expected, observed) == [
        "expected status='CANCELED', the service returned 'ACTIVE'",
        "expected active=False, the service returned True",
    ]


def test_junit_has_one_failing_case_per_failed_journey():
    suite = ElementTree.fromstring(_failed_report().to_junit().split("?>", 1)[1])

    case = suite.find("testcase")
    assert suite.get("failures") == "1"
    assert case is not None
    assert case.get("classname") == "simulator.immediate_cancel"
    assert case.get("name") == "customer 2"
    failure = case.find("failure")
    assert failure is not None
    assert "the service returned 'ACTIVE'" in (failure.get("message") or "")


def test_timings_are_the_only_part_left_out_for_comparison():
    report = _failed_report()

    without = report.to_json(timings=False)
    assert "duration_ms" not in without
    assert "timings" not in without
    assert "duration_ms" in report.to_json()
    assert not report.passed
