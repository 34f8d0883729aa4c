"""`billing-portal simulate` from a shell: in-process service, reports, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from xml.etree import ElementTree

from billing_portal.cli import main


def test_unknown_scenario_is_a_usage_error(capsys):
    assert main(["simulate", "--scenario", "no_such_journey"]) == 2
    assert "unknown scenario 'no_such_journey'" in capsys.readouterr().err


def test_simulate_starts_the_service_itself_and_writes_both_reports(tmp_path, stripe_mock):
    report_file, junit_file = tmp_path / "report.json", tmp_path / "junit.xml"
    command = [
        sys.executable,
        "-m",
        "billing_portal.cli",
        "simulate",
        "--scenario",
        "one_time_purchase",
        "--scenario",
        "immediate_cancel",
        "--seed",
        "4",
        "--stripe-mock",
        stripe_mock.url,
        "--report",
        str(report_file),
        "--junit",
        str(junit_file),
    ]
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ}, check=False
    )

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "all journeys passed" in finished.stdout
    assert json.loads(report_file.read_text())["totals"]["passed"] == 2
    assert ElementTree.parse(junit_file).getroot().get("tests") == "2"
