"""`billing-portal simulate`: run journeys, show progress and a summary, write the reports.

Exit status: 0 when every journey passed, 1 when one failed, 2 when the options are wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Protocol

from rich.console import Console

from simulator.console import print_summary, progress_bar
from simulator.report import JourneyResult
from simulator.runner import SimulationConfig, run_simulation
from simulator.scenarios import SCENARIOS


class EnvironmentSecrets(Protocol):
    """What `--target` defaults to: the secrets of this environment's service (its settings)."""

    @property
    def webhook_secret(self) -> str: ...
    @property
    def jwt_secret(self) -> str: ...
    @property
    def auth_jwt_audience(self) -> str | None: ...
    @property
    def auth_jwt_issuer(self) -> str | None: ...


def config_from(args: argparse.Namespace, settings: EnvironmentSecrets) -> SimulationConfig:
    """Options win; a target's secrets default to this environment's (env vars or `.env`)."""
    scenarios = tuple(SCENARIOS) if args.all or not args.scenario else tuple(args.scenario)
    # An option left out keeps SimulationConfig's own default, which is written there only.
    options = ("concurrency", "seed", "billing_mode", "api_version")
    given = {name: getattr(args, name) for name in options}
    return SimulationConfig(
        **{name: value for name, value in given.items() if value is not None},
        scenarios=scenarios,
        users=args.users,
        chaos=args.chaos,
        webhooks_after_return=args.webhooks_after_return,
        past_due_grace=args.past_due_grace,
        targets=tuple(args.target or ()),
        webhook_secret=args.webhook_secret or settings.webhook_secret,
        jwt_secret=args.jwt_secret or settings.jwt_secret,
        jwt_audience=settings.auth_jwt_audience,
        jwt_issuer=settings.auth_jwt_issuer,
        stripe_mock_url=args.stripe_mock,
    )


def run(args: argparse.Namespace, settings: EnvironmentSecrets) -> int:
    try:
        config = config_from(args, settings)
    except ValueError as error:
        print(f"billing-portal simulate: {error}", file=sys.stderr)
        return 2
    progress_console = Console(stderr=True)
    with progress_bar(progress_console) as progress:
        task = progress.add_task("journeys", total=config.user_count, failed=0)
        failed = 0

        def journey_done(result: JourneyResult) -> None:
            nonlocal failed
            failed += not result.passed
            progress.update(task, advance=1, failed=failed)

        report = asyncio.run(run_simulation(config, journey_done))
    # A CI log is not a terminal: give the table room instead of rich's default 80 columns.
    print_summary(Console(width=None if sys.stdout.isatty() else 120), report)
    if args.report:
        Path(args.report).write_text(report.to_json())
    if args.junit:
        Path(args.junit).write_text(report.to_junit())
    return 0 if report.passed else 1
