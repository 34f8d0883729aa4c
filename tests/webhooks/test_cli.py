"""`billing-portal sync`, `replay --failed` and `events`, run as an operator would."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from contextlib import closing

import pytest

from tests.webhooks import support as s


@pytest.fixture
def cli_env(stripe_mock, tmp_path):
    """A fresh SQLite file of its own (the CLI opens its own database) and stripe-mock."""
    return {
        **os.environ,
        "BILLING_ENV": "test",
        "DATABASE_URL": f"sqlite://{tmp_path / 'cli.db'}",
        "STRIPE_API_BASE": stripe_mock.url,
    }


async def _cli(env, *args) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "billing_portal.cli",
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


async def test_sync_command_reports_what_it_stored(cli_env):
    assert (await _cli(cli_env, "migrate"))[0] == 0

    code, output = await _cli(cli_env, "sync")

    assert code == 0, output
    assert "mirror synced from Stripe: 1 products, 1 prices, 1 customers" in output


async def test_sync_command_without_stripe_fails_with_one_line(cli_env):
    await _cli(cli_env, "migrate")
    cli_env["STRIPE_API_BASE"] = "http://127.0.0.1:9"
    cli_env["STRIPE_MAX_NETWORK_RETRIES"] = "0"

    code, output = await _cli(cli_env, "sync", "--customer", "cus_1")

    assert code == 1
    assert output.strip().splitlines()[-1].startswith("billing-portal: The payment provider")


async def test_replay_command_with_nothing_failed_succeeds(cli_env):
    await _cli(cli_env, "migrate")

    code, output = await _cli(cli_env, "replay", "--failed")

    assert code == 0, output
    assert "none were failed" in output


async def test_replay_command_applies_a_failed_event(cli_env, tmp_path):
    await _cli(cli_env, "migrate")
    body = s.event(
        "customer.subscription.updated", s.subscription("sub_cli", "cus_cli", "active"), created=1
    )
    await asyncio.to_thread(_store_failed_event, tmp_path / "cli.db", body)

    code, output = await _cli(cli_env, "replay", "--failed")

    assert code == 0, output
    assert "failed events replayed: 1 processed" in output
    rows = await asyncio.to_thread(
        _query, tmp_path / "cli.db", "SELECT status FROM subscriptions WHERE id = 'sub_cli'"
    )
    assert rows == [("active",)]


async def test_events_command_counts_the_stored_events_by_status_as_json(cli_env, tmp_path):
    await _cli(cli_env, "migrate")
    for event_id in ("evt_cli_a1", "evt_cli_a2", "evt_cli_b1"):
        body = s.event("customer.updated", s.customer("cus_cli"), created=1, event_id=event_id)
        await asyncio.to_thread(_store_failed_event, tmp_path / "cli.db", body)
    await _cli(cli_env, "replay", "--failed")
    body = s.event("customer.updated", s.customer("cus_cli"), created=2, event_id="evt_cli_a3")
    await asyncio.to_thread(_store_failed_event, tmp_path / "cli.db", body)

    code, output = await _cli(cli_env, "events", "--json", "--id-prefix", "evt_cli_a")

    assert code == 0, output
    assert json.loads(output) == {"processed": 2, "ignored": 0, "failed": 1}


async def test_events_command_says_how_many_are_in_each_status(cli_env):
    await _cli(cli_env, "migrate")

    code, output = await _cli(cli_env, "events")

    assert code == 0, output
    assert output.strip() == "stored events: 0 processed, 0 ignored, 0 failed"


def _store_failed_event(path, body) -> None:
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(
            "INSERT INTO stripe_events (id, type, created, livemode, payload, status, attempts,"
            " error, received_at) VALUES (?, ?, ?, 0, ?, 'failed', 1, 'boom', '2026-01-01')",
            (body["id"], body["type"], body["created"], json.dumps(body)),
        )


def _query(path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute(sql).fetchall()
