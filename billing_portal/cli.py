"""`billing-portal`: serve, migrate, sync, replay, mint tokens, simulate and benchmark.

Each command imports what it needs when it runs, so a missing optional piece of one command
(uvicorn, rich, the simulator) cannot break the others. Commands that touch the services build
them with the composition root (billing_portal.bootstrap), as the app does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from billing_portal.settings import (
    DEFAULT_SERVE_PORT,
    DEV_STRIPE_MOCK_PORT,
    WEBHOOK_PATH,
    ConfigurationError,
    Settings,
    load_settings,
)
from simulator.billing_modes import BILLING_MODES
from simulator.toolkit.stripe_mock import StripeMockUnavailable

if TYPE_CHECKING:
    from rich.progress import TaskID

    from services.container import Services

Handler = Callable[[argparse.Namespace, Settings], int]
# Where `serve` keeps the output of the local Stripe it starts, and the local Stripe its account.
LOCAL_STRIPE_LOG = "var/stripe-local.log"
LOCAL_STRIPE_STATE = "var/stripe-local.state"


def _exit_on_sigterm(signum: int, _: object) -> None:
    raise SystemExit(128 + signum)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from billing_portal.logging_setup import configure_logging

    configure_logging()
    # uvicorn re-raises SIGTERM after its graceful shutdown; as an exception it unwinds the
    # `with` below, so the Stripe this command started stops too instead of being orphaned.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    server_options = {"host": args.host, "port": args.port, "log_config": None}
    with _stripe_for(settings, _webhook_url(args.host, args.port)):
        if args.workers > 1:
            uvicorn.run("billing_portal.asgi:app", workers=args.workers, **server_options)
        else:
            from billing_portal.app import create_app

            uvicorn.run(create_app(settings), **server_options)
    return 0


def _stripe_for(settings: Settings, webhook_url: str) -> contextlib.AbstractContextManager[object]:
    """Outside prod a local, silent STRIPE_API_BASE means "start Stripe for me" (`make run`):
    in dev the local Stripe, whose pages and webhooks make the flow clickable (stripe-mock
    behind it); in test the bare stripe-mock."""
    from simulator.toolkit.stripe_mock import stripe_mock_for

    if settings.is_prod:
        return contextlib.nullcontext()
    if settings.billing_env == "dev":
        return _local_stripe_for(settings.api_base, webhook_url)
    return stripe_mock_for(settings.api_base)


@contextlib.contextmanager
def _local_stripe_for(api_base: str, webhook_url: str) -> Iterator[None]:
    """`billing-portal stripe-local` on `api_base`'s port while serving, unless that is not a
    loopback port or something answers there already. It inherits the environment, so it
    signs webhooks with this service's STRIPE_WEBHOOK_SECRET."""
    from pathlib import Path

    from simulator.toolkit.servers import LOOPBACK, ChildServer, answers_http, local_port_of
    from simulator.toolkit.stripe_mock import DOCKER_START_SECONDS

    port = local_port_of(api_base)
    if port is None or answers_http(LOOPBACK, port):
        yield
        return
    command = [sys.executable, "-m", "billing_portal.cli", "stripe-local", "--port", str(port)]
    log_path = Path(LOCAL_STRIPE_LOG)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server = ChildServer(
        "the local Stripe",
        [*command, "--webhook-url", webhook_url],
        port,
        log_path=log_path,
        start_seconds=DOCKER_START_SECONDS,
    )
    try:
        server.start()
        print(f"local Stripe on {api_base} (log: {log_path})", flush=True)
        yield
    finally:
        # Also when interrupted while it was still starting.
        server.stop()


def _webhook_url(host: str, port: int) -> str:
    """This server's webhook endpoint, as a Stripe on this machine reaches it."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    return f"http://{reachable}:{port}{WEBHOOK_PATH}"


def _stripe_local(args: argparse.Namespace, settings: Settings) -> int:
    if settings.is_prod:
        print("billing-portal: `stripe-local` is refused when BILLING_ENV=prod", file=sys.stderr)
        return 2
    from pathlib import Path

    from simulator.local_stripe.server import LocalStripeOptions, serve_local_stripe

    options = LocalStripeOptions(
        webhook_url=args.webhook_url or _webhook_url("127.0.0.1", DEFAULT_SERVE_PORT),
        webhook_secret=args.webhook_secret or settings.webhook_secret,
        stripe_mock_url=args.stripe_mock,
        api_version=args.api_version,
        state_path=Path(args.state) if args.state else None,
        **({"billing_mode": args.billing_mode} if args.billing_mode else {}),
    )
    return serve_local_stripe(options, port=args.port)


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
    from simulator.toolkit.tokens import TokenMinter

    minter = TokenMinter(settings.jwt_secret, settings.auth_jwt_audience, settings.auth_jwt_issuer)
    lifetime = {"ttl_seconds": args.ttl} if args.ttl is not None else {}
    print(minter.mint(args.sub, email=args.email, admin=args.admin, **lifetime))
    return 0


def _export_schema(_: argparse.Namespace, __: Settings) -> int:
    from schema.root import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


def _stripe_mock(args: argparse.Namespace, _: Settings) -> int:
    from simulator.toolkit.stripe_mock import StripeMockServer, ensure_binary

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
    from dataclasses import fields
    from pathlib import Path

    from rich.console import Console

    from simulator.bench.errors import BenchFailed
    from simulator.bench.runner import BenchOptions, run_bench

    # A log is not a terminal: give the table room instead of rich's default 80 columns.
    console = Console(stderr=args.json == "-", width=None if sys.stdout.isatty() else 140)
    try:
        # An option left out keeps BenchOptions' own default, which is written there only.
        given = {
            field.name: getattr(args, field.name)
            for field in fields(BenchOptions)
            if getattr(args, field.name, None) is not None
        }
        if "workloads" in given:
            given["workloads"] = tuple(given["workloads"])
        options = BenchOptions(**given)
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


def _with_services_and_database(
    settings: Settings, work: Callable[[Services], Awaitable[int]]
) -> int:
    """Run `work` with the database open and the services bootstrapped; Stripe trouble is one
    line."""
    from billing_portal.bootstrap import bootstrap
    from billing_portal.database import close_database, open_database
    from services.errors import ServiceError

    async def run() -> int:
        services = bootstrap(settings)
        await open_database(settings.database_url)
        try:
            return await work(services)
        except ServiceError as error:
            print(f"billing-portal: {error.message}", file=sys.stderr)
            return 1
        finally:
            await services.close()
            await close_database()

    return asyncio.run(run())


def _sync(args: argparse.Namespace, settings: Settings) -> int:
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    async def sync(services: Services) -> int:
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

            report = await services.sync.run(customer_id=args.customer, progress=advance)
        stored = ", ".join(f"{count} {kind}" for kind, count in report.stored.items())
        print(f"mirror synced from Stripe: {stored or 'nothing to store'}")
        return 0

    return _with_services_and_database(settings, sync)


def _replay(_: argparse.Namespace, settings: Settings) -> int:
    async def replay(services: Services) -> int:
        report = await services.webhooks.replay_failed()
        outcomes = ", ".join(
            f"{count} {outcome.value}" for outcome, count in report.outcomes.items()
        )
        print(f"failed events replayed: {outcomes or 'none were failed'}")
        return 1 if report.failed else 0

    return _with_services_and_database(settings, replay)


def _events(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from services.webhooks.log import counts_by_status

    async def count(_: Services) -> int:
        counts = await counts_by_status(args.id_prefix or "")
        if args.json:
            print(json.dumps({status.value: number for status, number in counts.items()}))
        else:
            print("stored events: " + ", ".join(f"{n} {status}" for status, n in counts.items()))
        return 0

    return _with_services_and_database(settings, count)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = argparse.ArgumentParser(prog="billing-portal", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    handlers: dict[str, Handler] = {}

    serve = commands.add_parser("serve", help="serve the GraphQL API and webhooks")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=DEFAULT_SERVE_PORT)
    serve.add_argument("--workers", type=int, default=1)
    handlers["serve"] = _serve

    commands.add_parser("migrate", help="apply database migrations")
    handlers["migrate"] = _migrate

    token = commands.add_parser("token", help="mint a development JWT (not in prod)")
    token.add_argument("--sub", required=True)
    token.add_argument("--email")
    token.add_argument("--admin", action="store_true")
    token.add_argument("--ttl", type=int, help="seconds until it expires")
    handlers["token"] = _token

    commands.add_parser("export-schema", help="print the GraphQL SDL")
    handlers["export-schema"] = _export_schema

    mock = commands.add_parser("stripe-mock", help="install and run the pinned stripe-mock")
    mock.add_argument("--port", type=int, default=DEV_STRIPE_MOCK_PORT)
    mock.add_argument("--install-only", action="store_true")
    handlers["stripe-mock"] = _stripe_mock

    local = commands.add_parser(
        "stripe-local", help="a stateful local Stripe with Checkout and portal pages (dev)"
    )
    local.add_argument("--port", type=int, default=DEV_STRIPE_MOCK_PORT)
    local.add_argument(
        "--stripe-mock", metavar="URL", help="a running stripe-mock to validate with"
    )
    local.add_argument("--webhook-url", help="where to send webhooks (default: serve's endpoint)")
    local.add_argument("--webhook-secret", help="signing secret (default: STRIPE_WEBHOOK_SECRET)")
    local.add_argument(
        "--api-version", metavar="VERSION", help="the webhook endpoint's API version"
    )
    local.add_argument(
        "--billing-mode", choices=BILLING_MODES, help="the mode Checkout gives subscriptions"
    )
    local.add_argument(
        "--state",
        default=LOCAL_STRIPE_STATE,
        metavar="FILE",
        help="keep the account in FILE between runs ('' keeps it in memory only)",
    )
    handlers["stripe-local"] = _stripe_local

    bench = commands.add_parser("bench", help="measure each workload beside its floor")
    bench.add_argument("--seconds", type=float, help="measuring time per side")
    bench.add_argument("--rounds", type=int, help="alternations of floor and service")
    bench.add_argument(
        "--concurrency", type=int, help="requests in flight (default: each workload's own)"
    )
    bench.add_argument(
        "--warmup", dest="warmup_seconds", type=float, help="seconds before measuring"
    )
    bench.add_argument(
        "--workload", dest="workloads", action="append", help="run only this one (repeatable)"
    )
    bench.add_argument("--json", metavar="FILE", help="also write the results there (- = stdout)")
    bench.add_argument("--journeys", type=int, help="simulated customers")
    bench.add_argument("--journey-concurrency", type=int, help="journeys in flight")
    bench.add_argument(
        "--database-url",
        help="a PostgreSQL server to run on, in a database of its own (default: SQLite files)",
    )
    bench.add_argument(
        "--stripe-latency-ms",
        type=float,
        help="how late Stripe answers in the *_latency workloads (default 250)",
    )
    handlers["bench"] = _bench

    simulate = commands.add_parser("simulate", help="run scripted customer journeys (QA)")
    simulate.add_argument("--scenario", action="append", help="run this scenario (repeatable)")
    simulate.add_argument("--all", action="store_true", help="run every scenario (the default)")
    simulate.add_argument("--users", type=int, help="customers (default: one per scenario)")
    simulate.add_argument("--concurrency", type=int, help="journeys at once")
    simulate.add_argument("--seed", type=int, help="same seed, same journeys and report")
    simulate.add_argument("--chaos", action="store_true", help="disorder and forge webhooks")
    simulate.add_argument(
        "--webhooks-after-return",
        action="store_true",
        help="Checkout's webhooks only after the success page, which confirms the session",
    )
    simulate.add_argument(
        "--past-due-grace",
        action="store_true",
        help="the service keeps a past-due subscriber in for the simulator's grace period",
    )
    simulate.add_argument(
        "--billing-mode",
        choices=BILLING_MODES,
        help="the billing mode Checkout gives subscriptions (default: Stripe's, flexible)",
    )
    simulate.add_argument(
        "--api-version",
        metavar="VERSION",
        help="the webhook endpoint's API version, events' shape (default: the SDK's)",
    )
    simulate.add_argument(
        "--target",
        metavar="URL",
        action="append",
        help="a running service (default: start one); repeated: instances of one service, "
        "each request to the next",
    )
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

    events = commands.add_parser("events", help="count the stored webhook events by status")
    events.add_argument("--id-prefix", metavar="PREFIX", help="only events whose id starts so")
    events.add_argument("--json", action="store_true", help="print one JSON object")
    handlers["events"] = _events

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
