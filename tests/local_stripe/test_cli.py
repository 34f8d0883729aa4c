"""`billing-portal stripe-local`, and `serve` starting it in dev (what `make run` does)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from billing_portal.cli import main
from billing_portal.settings import Settings
from simulator.toolkit.servers import LOOPBACK, answers_http, free_port
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.support import first_answer, serving_process


def test_stripe_local_is_refused_in_prod(monkeypatch, capsys) -> None:
    for name, value in {
        "BILLING_ENV": "prod",
        "STRIPE_API_KEY": "sk_live_x",
        "STRIPE_WEBHOOK_SECRET": "whsec_x",
        "AUTH_JWT_SECRET": "a-long-production-secret-of-32-bytes",
        "ALLOWED_REDIRECT_HOSTS": "app.example.com",
    }.items():
        monkeypatch.setenv(name, value)

    assert main(["stripe-local"]) == 2
    assert "refused when BILLING_ENV=prod" in capsys.readouterr().err


async def test_serve_in_dev_runs_the_local_stripe_on_the_api_base_while_it_serves(
    stripe_mock: StripeMockServer, tmp_path: Path
) -> None:
    """`stripe_mock` only makes sure a stripe-mock binary is there: the local Stripe starts its
    own behind it."""
    stripe_port, service_port = free_port(), free_port()
    environment = {
        **{
            key: value
            for key, value in os.environ.items()
            if key.lower() not in Settings.model_fields
        },
        "BILLING_ENV": "dev",
        "DATABASE_URL": f"sqlite://{tmp_path / 'billing.db'}",
        "STRIPE_API_BASE": f"http://127.0.0.1:{stripe_port}",
    }
    async with (
        serving_process(service_port, tmp_path, environment),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{stripe_port}") as http,
    ):
        clock = await first_answer(http, "/_local/clock")  # after its own stripe-mock started

    assert clock.status_code == 200
    assert (tmp_path / "var" / "stripe-local.log").is_file()
    assert not answers_http(LOOPBACK, stripe_port)
