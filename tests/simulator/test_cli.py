"""`billing-portal simulate` from a shell: in-process service, reports, exit status."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from types import SimpleNamespace
from xml.etree import ElementTree

import pytest

from billing_portal.cli import build_parser, main
from simulator.cli import config_from

SECRETS = SimpleNamespace(
    webhook_secret="whsec_cli", jwt_secret="jwt-cli", auth_jwt_audience=None, auth_jwt_issuer=None
)


def _config(*options: str):
    parser, _ = build_parser()
    return config_from(parser.parse_args(["simulate", *options]), SECRETS)


def test_unknown_scenario_is_a_usage_error(capsys):
    assert main(["simulate", "--scenario", "no_such_journey"]) == 2
    assert "unknown scenario 'no_such_journey'" in capsys.readouterr().err


def test_subscriptions_are_in_stripes_default_flexible_mode_unless_told_otherwise():
    assert _config().billing_mode == "flexible"


def test_billing_mode_classic_gives_every_subscription_the_classic_mode():
    assert _config("--billing-mode", "classic").billing_mode == "classic"


def test_an_unknown_billing_mode_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_status:
        main(["simulate", "--billing-mode", "hybrid"])

    assert exit_status.value.code == 2
    assert "invalid choice: 'hybrid'" in capsys.readouterr().err


def test_the_service_has_no_past_due_grace_unless_told_otherwise():
    assert not _config().past_due_grace
    assert _config("--past-due-grace").past_due_grace


def test_events_are_rendered_in_the_sdks_api_version_unless_told_otherwise():
    assert _config().api_version is None
    assert _config("--api-version", "2025-02-24.acacia").api_version == "2025-02-24.acacia"


def test_a_malformed_api_version_is_a_usage_error(capsys):
    assert main(["simulate", "--api-version", "acacia"]) == 2
    assert "'acacia' is not an API version" in capsys.readouterr().err


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
