"""The `billing-portal` command as an operator runs it: a real subprocess, real exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jwt
import pytest

from billing_portal.settings import DEV_JWT_SECRET, Settings

CLI = str(Path(sys.executable).parent / "billing-portal")


def run_cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Runs in an empty folder with no setting inherited, so only `env` configures it."""
    inherited = {
        key: value for key, value in os.environ.items() if key.lower() not in Settings.model_fields
    }
    return subprocess.run(
        [CLI, *args],
        cwd=cwd,
        env={**inherited, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("command", ["migrate", "serve"])
def test_misconfigured_prod_exits_2_with_one_line_and_no_traceback(tmp_path, command):
    result = run_cli(
        command, cwd=tmp_path, BILLING_ENV="prod", STRIPE_API_KEY="sk_live_1", AUTH_JWT_SECRET="x"
    )

    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "billing-portal: STRIPE_WEBHOOK_SECRET, ALLOWED_REDIRECT_HOSTS are required "
        "when BILLING_ENV=prod"
    ]
    assert "Traceback" not in result.stdout + result.stderr


def test_a_live_key_on_a_dev_machine_exits_2(tmp_path):
    result = run_cli("migrate", cwd=tmp_path, STRIPE_API_KEY="sk_live_1")

    assert result.returncode == 2
    assert "STRIPE_API_KEY must be a test key" in result.stderr
    assert not (tmp_path / "var").exists()


def test_migrate_creates_the_default_sqlite_database(tmp_path):
    result = run_cli("migrate", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "billing.db").is_file()


def test_token_mints_a_jwt_the_dev_secret_verifies(tmp_path):
    result = run_cli(
        "token", "--sub", "user-7", "--email", "u@example.com", "--admin", cwd=tmp_path
    )

    claims = jwt.decode(result.stdout.strip(), DEV_JWT_SECRET, algorithms=["HS256"])
    assert (claims["sub"], claims["email"], claims["role"]) == ("user-7", "u@example.com", "admin")


def test_token_is_refused_in_prod(tmp_path):
    result = run_cli(
        "token",
        "--sub",
        "user-7",
        cwd=tmp_path,
        BILLING_ENV="prod",
        STRIPE_API_KEY="sk_live_1",
        STRIPE_WEBHOOK_SECRET="whsec_1",
        AUTH_JWT_SECRET="x" * 32,
        ALLOWED_REDIRECT_HOSTS="app.example.com",
    )

    assert result.returncode == 2
    assert result.stdout == ""
