"""The service under test, run the way its operator runs it: the bench makes up its secrets and
hands them over in the environment, starts it with `billing-portal serve`, and asks its command
line what it stored, never its tables.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from simulator.bench.errors import BenchFailed
from simulator.toolkit.servers import ChildServer

CLI_MODULE = "billing_portal.cli"


@dataclass(frozen=True, slots=True)
class ServiceSecrets:
    """Made up for one run and handed to the service in its environment, as an operator would."""

    api_key: str
    webhook_secret: str
    jwt_secret: str

    @classmethod
    def generate(cls) -> ServiceSecrets:
        return cls(
            api_key=f"sk_test_{secrets.token_hex(12)}",  # stripe-mock wants letters and digits
            webhook_secret=f"whsec_bench_{secrets.token_hex(16)}",
            jwt_secret=secrets.token_urlsafe(32),
        )


def service_environment(
    database_url: str, stripe_api_base: str, service_secrets: ServiceSecrets
) -> dict[str, str]:
    """The service as `make run` starts it, on the bench's database, stripe-mock and no limit."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AUTH_JWT_", "STRIPE_", "CORS_", "ALLOWED_"))
    }
    environment.update(
        BILLING_ENV="test",
        DATABASE_URL=database_url,
        STRIPE_API_BASE=stripe_api_base,
        STRIPE_API_KEY=service_secrets.api_key,
        STRIPE_WEBHOOK_SECRET=service_secrets.webhook_secret,
        AUTH_JWT_SECRET=service_secrets.jwt_secret,
        RATE_LIMIT_SESSIONS_PER_MINUTE="0",
    )
    return environment


def baseline_environment(
    floor_database_url: str, service_secrets: ServiceSecrets
) -> dict[str, str]:
    """The baseline server's: the durable floor's database and the secret the loads sign with."""
    return {
        **os.environ,
        "DATABASE_URL": floor_database_url,
        "STRIPE_WEBHOOK_SECRET": service_secrets.webhook_secret,
    }


def service_server(environment: Mapping[str, str], log_path: Path) -> ChildServer:
    """`billing-portal serve` with one worker, ready once its liveness probe answers."""
    return ChildServer.python_module(
        "service",
        [CLI_MODULE, "serve"],
        probe="/healthz",
        environment=environment,
        log_path=log_path,
    )


def service_command(environment: Mapping[str, str], *arguments: str) -> str:
    """Run `billing-portal <arguments>` as the operator of the bench's service; its output."""
    finished = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-m", CLI_MODULE, *arguments],
        env=dict(environment),
        check=False,
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        command = " ".join(arguments)
        raise BenchFailed(f"`billing-portal {command}` failed: {finished.stderr.strip()}")
    return finished.stdout


def stored_events(environment: Mapping[str, str], id_prefix: str) -> dict[str, int]:
    """The service's event log, counted by status (each 200 was answered after its commit)."""
    counts: dict[str, int] = json.loads(
        service_command(environment, "events", "--json", "--id-prefix", id_prefix)
    )
    return counts
