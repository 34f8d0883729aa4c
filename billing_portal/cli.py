"""`billing-portal`: the command line of the contract's section 1.

Each command imports what it needs when it runs, so `billing-portal token` stays instant and a
missing optional piece of one command cannot break the others.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING

from billing_portal.settings import ConfigurationError, Settings, load_settings
from billing_portal.stripe_mock import StripeMockUnavailable

if TYPE_CHECKING:
    from rich.progress import TaskID

    from services.stripe_gateway import StripeGateway

Handler = Callable[[argparse.Namespace, Settings], int]


def _exit_on_sigterm(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from billing_portal.logging_setup import configure_logging
    from billing_portal.stripe_mock import stripe_mock_for

    configure_logging()
    # uvicorn re-raises SIGTERM after its graceful shutdown; as an exception it unwinds the
    # `with` below, so the stripe-mock this command started stops too instead of being orphaned.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    server_options = {"host": args.host, "port": args.port, "log_config": None}
    # Outside prod a local, silent STRIPE_API_BASE means "start stripe-mock for me" (`make run`).
    with stripe_mock_for(settings.api_base) if not settings.is_prod else contextlib.nullcontext():
        if args.workers > 1:
            uvicorn.run("billing_portal.asgi:app", workers=args.workers, **server_options)
        else:
            from billing_portal.app import create_app

            uvicorn.run(create_app(settings), **server_options)
    return 0


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    from billing_portal.database import migrate

    asyncio.run(migrate(settings.database_url))
    print(f"migrations applied to {settings.database_url.split('@')[-1]}")
    return 0


def _token(args: argparse.Namespace, settings: Settings) -> int:
    if settings.is_prod:
        print(
            "billing-portal: `token` mints development tokens and is refused when BILLING_ENV=prod",
            file=sys.stderr,
        )
        return 2
    from services.auth import TokenVerifier

    verifier = TokenVerifier(
        secret=settings.jwt_secret,
        audience=settings.auth_jwt_audience,
        issuer=settings.auth_jwt_issuer,
    )
    print(verifier.mint(args.sub, email=args.email, admin=args.admin, ttl_seconds=args.ttl))
    return 0


def _export_schema(_: argparse.Namespace, __: Settings) -> int:
    from schema.root import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _stripe_mock(args: argparse.Namespace, _: Settings) -> int:
    from billing_portal.stripe_mock import StripeMockServer, ensure_binary

    if args.install_only:
        print(ensure_binary() or "docker")
        return 0
    with StripeMockServer(port=args.port) as server:
        print(f"stripe-mock listening on {server.url} (Ctrl-C stops it)", flush=True)
        try:
            return server.wait()
        except KeyboardInterrupt:
            return 0


def _bench(args: argparse.Namespace, _: Settings) -> int:
    import json
    from pathlib import Path

    from rich.console import Console

    from simulator.bench.errors import BenchFailed
    from simulator.bench.runner import BenchOptions, run_bench

    # A log is not a terminal: give the table room instead of rich's default 80 columns.
    console = Console(stderr=args.json == "-", width=None if sys.stdout.isatty() else 140)
    try:
        options = BenchOptions(
            seconds=args.seconds,
            concurrency=args.concurrency,
            warmup_seconds=args.warmup,
            workloads=tuple(args.workload) if args.workload else BenchOptions().workloads,
            journeys=args.journeys,
            journey_concurrency=args.journey_concurrency,
            rounds=args.rounds,
        )
        report = run_bench(options, progress=lambda step: console.log(step))
    except BenchFailed as error:
        print(f"billing-portal bench: {error}", file=sys.stderr)
        return 1
    report.print(console)
    if args.json == "-":
        print(json.dumps(report.as_json(), indent=2))
    elif args.json:
        Path(args.json).write_text(json.dumps(report.as_json(), indent=2) + "\n")
    return 0


def _simulate(args: argparse.Namespace, settings: Settings) -> int:
    from simulator.cli import run

    return run(args, settings)


def _with_stripe_and_database(
    settings: Settings, work: Callable[[StripeGateway], Awaitable[int]]
) -> int:
    """Run `work` with the database open and a Stripe gateway; Stripe trouble is one line."""
    from billing_portal.database import close_database, open_database
    from services.errors import ServiceError
    from services.stripe_gateway import StripeGateway

    async def run() -> int:
        gateway = StripeGateway(
            api_key=settings.api_key,
            api_base=settings.api_base,
            max_network_retries=settings.stripe_max_network_retries,
            timeout_seconds=settings.stripe_timeout_seconds,
        )
        await open_database(settings.database_url)
        try:
            return await work(gateway)
        except ServiceError as error:
            print(f"billing-portal: {error.message}", file=sys.stderr)
            return 1
        finally:
            await gateway.close()
            await close_database()

    return asyncio.run(run())


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from services.sync import MirrorSync

    async def sync(gateway: StripeGateway) -> int:
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed}"),
        )
        with Progress(*columns, TimeElapsedColumn()) as progress:
            tasks: dict[str, TaskID] = {}

            def advance(kind: str) -> None:
                if kind not in tasks:
                    tasks[kind] = progress.add_task(kind, total=None)
                progress.advance(tasks[kind])

            report = await MirrorSync(gateway).run(customer_id=args.customer, progress=advance)
        stored = ", ".join(f"{count} {kind}" for kind, count in report.stored.items())
        print(f"mirror synced from Stripe: {stored or 'nothing to store'}")
        return 0

    return _with_stripe_and_database(settings, sync)


def _replay(_: argparse.Namespace, settings: Settings) -> int:
    from services.webhooks import WebhookService

    async def replay(gateway: StripeGateway) -> int:
        service = WebhookService(
            secret=settings.webhook_secret,
            stripe=gateway,
            refetch_objects=settings.webhook_refetch_objects,
        )
        report = await service.replay_failed()
        outcomes = ", ".join(
            f"{count} {outcome.value}" for outcome, count in report.outcomes.items()
        )
        print(f"failed events replayed: {outcomes or 'none were failed'}")
        return 1 if report.failed else 0

    return _with_stripe_and_database(settings, replay)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="billing-portal", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    handlers: dict[str, Handler] = {}

    serve = commands.add_parser("serve", help="serve the GraphQL API and webhooks")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    handlers["serve"] = _serve

    commands.add_parser("migrate", help="apply database migrations")
    handlers["migrate"] = _migrate

    token = commands.add_parser("token", help="mint a development JWT (not in prod)")
    token.add_argument("--sub", required=True)
    token.add_argument("--email")
    token.add_argument("--admin", action="store_true")
    token.add_argument("--ttl", type=int, default=3600, help="seconds until it expires")
    handlers["token"] = _token

    commands.add_parser("export-schema", help="print the GraphQL SDL")
    handlers["export-schema"] = _export_schema

    mock = commands.add_parser("stripe-mock", help="install and run the pinned stripe-mock")
    mock.add_argument("--port", type=int, default=12111)
    mock.add_argument("--install-only", action="store_true")
    handlers["stripe-mock"] = _stripe_mock

    bench = commands.add_parser("bench", help="measure each workload beside its floor")
    bench.add_argument("--seconds", type=float, default=6.0, help="measuring time per side")
    bench.add_argument("--rounds", type=int, default=3, help="alternations of floor and service")
    bench.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    bench.add_argument("--warmup", type=float, default=1.0, help="seconds before measuring")
    bench.add_argument("--workload", action="append", help="run only this one (repeatable)")
    bench.add_argument("--json", metavar="FILE", help="also write the results there (- = stdout)")
    bench.add_argument("--journeys", type=int, default=200, help="simulated customers")
    bench.add_argument("--journey-concurrency", type=int, default=32, help="journeys in flight")
    handlers["bench"] = _bench

    simulate = commands.add_parser("simulate", help="run scripted customer journeys (QA)")
    simulate.add_argument("--scenario", action="append", help="run this scenario (repeatable)")
    simulate.add_argument("--all", action="store_true", help="run every scenario (the default)")
    simulate.add_argument("--users", type=int, help="customers (default: one per scenario)")
    simulate.add_argument("--concurrency", type=int, default=8, help="journeys at once")
    simulate.add_argument("--seed", type=int, default=1, help="same seed, same journeys and report")
    simulate.add_argument("--chaos", action="store_true", help="disorder and forge webhooks")
    simulate.add_argument("--target", metavar="URL", help="a running service (default: start one)")
    simulate.add_argument("--webhook-secret", help="the target's STRIPE_WEBHOOK_SECRET")
    simulate.add_argument("--jwt-secret", help="the target's AUTH_JWT_SECRET")
    simulate.add_argument("--stripe-mock", metavar="URL", help="a stripe-mock to use")
    simulate.add_argument("--report", metavar="FILE.json", help="write the JSON report there")
    simulate.add_argument("--junit", metavar="FILE.xml", help="write JUnit XML there")
    handlers["simulate"] = _simulate

    sync = commands.add_parser("sync", help="rebuild the local mirror from Stripe")
    sync.add_argument("--customer", metavar="ID", help="only this customer's objects")
    handlers["sync"] = _sync

    replay = commands.add_parser("replay", help="apply stored webhook events again")
    replay.add_argument("--failed", action="store_true", required=True, help="the failed ones")
    handlers["replay"] = _replay

    return parser, handlers


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    args = parser.parse_args(argv)
    try:
        return handlers[args.command](args, load_settings())
    except (ConfigurationError, StripeMockUnavailable) as error:
        # What an operator must fix gets one line, not a traceback.
        print(f"billing-portal: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
