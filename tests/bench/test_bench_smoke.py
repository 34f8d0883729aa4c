"""`billing-portal bench` runs end to end and reports every number in its documented shape.

A smoke run only: well under a second of load per side, no timing assertions (performance goals
live in the bench's own report, never in tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from simulator.toolkit.stripe_mock import StripeMockUnavailable, ensure_binary
from tests.support import service_missing

COMPARED_WORKLOADS = (
    "portal",
    "checkout",
    "portal_latency",
    "checkout_latency",
    "subscriptions",
    "webhooks",
)
LATENCY_WORKLOADS = ("portal_latency", "checkout_latency")
SMOKE_STRIPE_LATENCY_MS = 20
SMOKE_WORKLOADS = (*COMPARED_WORKLOADS, "simulator")
SMOKE_JOURNEYS = 4
SIDE_KEYS = {"requests", "errors", "seconds", "throughput", "p50_ms", "p99_ms"}


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    """One short `billing-portal bench` shared by this module's tests: (its JSON, its table)."""
    try:
        ensure_binary()
    except StripeMockUnavailable as error:
        service_missing(str(error))
    report_path: Path = tmp_path_factory.mktemp("bench") / "bench.json"
    command = [sys.executable, "-m", "billing_portal.cli", "bench", "--seconds", "0.5"]
    command += ["--warmup", "0.2", "--rounds", "2", "--concurrency", "4"]
    command += ["--journeys", str(SMOKE_JOURNEYS), "--journey-concurrency", "4"]
    command += ["--stripe-latency-ms", str(SMOKE_STRIPE_LATENCY_MS)]
    command += ["--json", str(report_path)]
    for name in SMOKE_WORKLOADS:
        command += ["--workload", name]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return json.loads(report_path.read_text()), finished.stdout


def _workloads(bench_run: tuple[dict[str, Any], str]) -> dict[str, dict[str, Any]]:
    report, _ = bench_run
    return {workload["name"]: workload for workload in report["workloads"]}


def _compared(bench_run: tuple[dict[str, Any], str]) -> list[dict[str, Any]]:
    return [_workloads(bench_run)[name] for name in COMPARED_WORKLOADS]


def test_every_requested_workload_is_reported_in_order(bench_run):
    report, _ = bench_run

    assert [workload["name"] for workload in report["workloads"]] == list(SMOKE_WORKLOADS)


def test_each_side_reports_throughput_and_latency_percentiles(bench_run):
    for workload in _compared(bench_run):
        for side in ("service", "baseline"):
            assert set(workload[side]) == SIDE_KEYS
            assert workload[side]["requests"] > 0
            assert workload[side]["errors"] == 0
            assert 0 < workload[side]["p50_ms"] <= workload[side]["p99_ms"]


def test_ratios_are_positive_and_judged_against_their_goal(bench_run):
    for workload in _compared(bench_run):
        assert workload["ratio"] > 0
        assert workload["goal"] > 0
        ratio_missed = any(miss.startswith("ratio") for miss in workload["goals_missed"])
        assert ratio_missed is (workload["ratio"] < workload["goal"])


def test_a_goal_is_met_only_when_none_of_its_parts_is_missed(bench_run):
    for workload in _compared(bench_run):
        assert workload["goal_met"] is (not workload["goals_missed"])


def test_webhooks_are_judged_against_a_durable_floor_with_the_echo_for_reference(bench_run):
    webhooks = _workloads(bench_run)["webhooks"]

    assert "inserting the raw event" in webhooks["baseline_description"]
    goals = webhooks["goals"]
    assert (goals["ratio"], goals["min_throughput"], goals["max_p99_ms"]) == (1.0, 2000, 100)
    assert goals["lossless"] is True
    assert set(webhooks["reference"]) == SIDE_KEYS
    assert webhooks["reference"]["requests"] > 0
    assert webhooks["reference"]["errors"] == 0


def test_latency_workloads_are_judged_on_throughput_and_p99_against_the_late_sdk(bench_run):
    for name in LATENCY_WORKLOADS:
        workload = _workloads(bench_run)[name]

        assert workload["stripe_latency_ms"] == SMOKE_STRIPE_LATENCY_MS
        assert (workload["goals"]["ratio"], workload["goals"]["max_p99_over_floor"]) == (0.9, 1.2)
        assert workload["p99_over_floor"] > 0
        assert workload["baseline"]["p50_ms"] >= SMOKE_STRIPE_LATENCY_MS
        assert workload["service"]["p50_ms"] >= SMOKE_STRIPE_LATENCY_MS


def test_server_peak_memory_is_reported_per_workload(bench_run):
    for workload in _workloads(bench_run).values():
        assert workload["peak_rss_mib"] > 0


def test_every_accepted_webhook_event_is_stored_and_applied(bench_run):
    webhooks = _workloads(bench_run)["webhooks"]

    assert webhooks["events_accepted"] > 0
    assert webhooks["events_stored"] == webhooks["events_accepted"]
    assert webhooks["events_applied"] == webhooks["events_accepted"]
    assert webhooks["lost_events"] == 0
    assert webhooks["mirrored_subscriptions"] > 0


def test_every_simulated_journey_passes_and_is_timed(bench_run):
    simulator = _workloads(bench_run)["simulator"]

    assert simulator["passed"] == SMOKE_JOURNEYS
    assert simulator["all_passed"] is True
    assert simulator["journeys_per_second"] > 0
    assert simulator["baseline"] is None
    assert simulator["ratio"] is None


def test_the_machine_is_described_beside_the_numbers(bench_run):
    report, _ = bench_run

    assert report["machine"]["cpus"] >= 1
    assert report["machine"]["cpu_model"]


def test_the_table_is_printed_with_every_workload(bench_run):
    _, printed = bench_run

    for name in SMOKE_WORKLOADS:
        assert name in printed
