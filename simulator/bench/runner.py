"""One bench run: stripe-mock, the service and the baseline server as child processes, seeded
over HTTP, then each workload and its floor loaded in turn from the load process.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import httpx

from billing_portal.settings import DEV_JWT_SECRET, DEV_STRIPE_API_KEY, DEV_WEBHOOK_SECRET
from billing_portal.stripe_mock import StripeMockServer
from services.auth import TokenVerifier
from simulator.bench import seed
from simulator.bench.errors import BenchFailed
from simulator.bench.journeys import SIMULATOR, JourneyOptions, run_journeys
from simulator.bench.load import LoadPlan, LoadProcess
from simulator.bench.report import BenchReport, WorkloadResult
from simulator.bench.seed import SeedFailed
from simulator.bench.servers import ServerProcess, cpu_seconds, peak_rss_mib, reset_peak_rss
from simulator.bench.stats import Samples
from simulator.bench.workloads import WEBHOOK_EVENT_PREFIX, WORKLOADS, Targets, Workload

TOKEN_TTL_SECONDS = 6 * 3600
MIN_USERS = 8
SEQUENCES_PER_ROUND = 100_000_000
ALL_WORKLOADS = (*WORKLOADS, SIMULATOR)


@dataclass(frozen=True, slots=True)
class BenchOptions:
    seconds: float = 6.0
    concurrency: int = 16
    warmup_seconds: float = 1.0
    workloads: tuple[str, ...] = ALL_WORKLOADS
    journeys: int = 200
    journey_concurrency: int = 32
    rounds: int = 3

    def __post_init__(self) -> None:
        counts = {
            "--concurrency": self.concurrency,
            "--rounds": self.rounds,
            "--journeys": self.journeys,
            "--journey-concurrency": self.journey_concurrency,
        }
        for option, value in counts.items():
            if value < 1:
                raise BenchFailed(f"{option} must be at least 1")
        if self.seconds <= 0 or self.warmup_seconds < 0:
            raise BenchFailed("--seconds must be positive and --warmup not negative")


Progress = Callable[[str], None]


def service_environment(database_url: str, stripe_api_base: str) -> dict[str, str]:
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
        STRIPE_API_KEY=DEV_STRIPE_API_KEY,
        STRIPE_WEBHOOK_SECRET=DEV_WEBHOOK_SECRET,
        AUTH_JWT_SECRET=DEV_JWT_SECRET,
        RATE_LIMIT_SESSIONS_PER_MINUTE="0",
    )
    return environment


def migrate(environment: Mapping[str, str]) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "billing_portal.cli", "migrate"],
        env=dict(environment),
        check=False,
        capture_output=True,
        text=True,
    )
    if finished.returncode != 0:
        raise BenchFailed(f"migrating the bench database failed: {finished.stderr.strip()}")


async def seed_targets(
    service: ServerProcess, baseline: ServerProcess, stripe_mock_url: str, users: int
) -> Targets:
    tokens = TokenVerifier(secret=DEV_JWT_SECRET)
    user_tokens = [
        tokens.mint(f"bench-user-{index}", ttl_seconds=TOKEN_TTL_SECONDS) for index in range(users)
    ]
    async with httpx.AsyncClient(base_url=service.url, timeout=60.0) as http:
        catalog = await seed.recurring_plan(http)
        customers = await seed.customers(http, catalog, user_tokens)
        template = await seed.subscription_template(stripe_mock_url, DEV_STRIPE_API_KEY)
        subscriptions = await seed.subscriptions(
            http, DEV_WEBHOOK_SECRET, template, catalog, customers
        )
    return Targets(
        service_url=service.url,
        baseline_url=baseline.url,
        stripe_mock_url=stripe_mock_url,
        api_key=DEV_STRIPE_API_KEY,
        webhook_secret=DEV_WEBHOOK_SECRET,
        catalog=catalog,
        customers=tuple(customers),
        subscriptions=tuple(subscriptions),
    )


def stored_rows(database_path: Path, sql: str, *parameters: str) -> int:
    """Read the service's SQLite file read-only (each 200 was answered after its commit)."""
    with sqlite3.connect(f"file:{database_path}?mode=ro", uri=True) as connection:
        (count,) = connection.execute(sql, parameters).fetchone()
    return int(count)


def run_workload(
    workload: Workload,
    targets: Targets,
    load: LoadProcess,
    service: ServerProcess,
    baseline: ServerProcess,
    options: BenchOptions,
    database_path: Path,
) -> WorkloadResult:
    """Alternate floor and service in short rounds, so a neighbour's burst hits both sides."""
    floor, samples = Samples(), Samples()
    floor_server = baseline if workload.floor_is_a_server else None
    measured_rss = reset_peak_rss(service.pid)
    for round_number in range(options.rounds):
        sides = ((workload.baseline, floor, floor_server), (workload.service, samples, service))
        for driver_of, into, server in sides:
            plan = LoadPlan(
                driver=driver_of(targets),
                concurrency=options.concurrency,
                warmup_seconds=options.warmup_seconds if round_number == 0 else 0.0,
                seconds=options.seconds / options.rounds,
                first_sequence=round_number * SEQUENCES_PER_ROUND,
            )
            cpu_before = cpu_seconds(server.pid) if server else 0.0
            measured = load.run(plan)
            if server is not None:
                measured.server_cpu_seconds = cpu_seconds(server.pid) - cpu_before
            into.add(measured)
    details: dict[str, object] = {
        "service_cpu_ms_per_request": samples.server_cpu_ms_per_request(),
        "floor_cpu_ms_per_request": floor.server_cpu_ms_per_request(),
    }
    if workload.counts_events:
        stored = stored_rows(
            database_path,
            "SELECT COUNT(*) FROM stripe_events WHERE id LIKE ?",
            f"{WEBHOOK_EVENT_PREFIX}%",
        )
        details |= {
            "events_accepted": samples.accepted_total,
            "events_stored": stored,
            "lost_events": samples.accepted_total - stored,
            "mirrored_subscriptions": stored_rows(
                database_path, "SELECT COUNT(*) FROM subscriptions"
            ),
        }
    return WorkloadResult(
        name=workload.name,
        description=workload.description,
        service=samples.summary(),
        baseline=floor.summary(),
        baseline_description=workload.baseline_description,
        goal=workload.goal,
        peak_rss_mib=peak_rss_mib(service.pid) if measured_rss else None,
        details=details,
    )


def run_bench(options: BenchOptions, progress: Progress) -> BenchReport:
    unknown = sorted(set(options.workloads) - set(ALL_WORKLOADS))
    if unknown:
        raise BenchFailed(f"unknown workload(s) {unknown}; choose from {list(ALL_WORKLOADS)}")
    http_workloads = [name for name in options.workloads if name in WORKLOADS]
    results: list[WorkloadResult] = []
    with tempfile.TemporaryDirectory(prefix="billing-bench-") as folder, StripeMockServer() as mock:
        work = Path(folder)
        database_path = work / "bench.db"
        environment = service_environment(f"sqlite://{database_path}", mock.url)
        migrate(environment)
        service = ServerProcess(
            name="service",
            arguments=["billing_portal.cli", "serve"],
            log_path=work / "service.log",
            environment=environment,
            probe="/healthz",
        )
        baseline = ServerProcess(
            name="baseline",
            arguments=[
                "uvicorn",
                "simulator.bench.baseline_app:app",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            log_path=work / "baseline.log",
            environment=os.environ,
            probe="/graphql",
        )
        with service, baseline, LoadProcess() as load:
            if http_workloads:
                progress("seeding users, customers and subscriptions over HTTP")
                try:
                    targets = asyncio.run(
                        seed_targets(
                            service, baseline, mock.url, users=max(options.concurrency, MIN_USERS)
                        )
                    )
                except SeedFailed as error:
                    raise SeedFailed(f"{error}\nservice log:\n{service.log_tail()}") from None
            for name in options.workloads:
                progress(f"workload {name}")
                if name == SIMULATOR:
                    journeys = JourneyOptions(options.journeys, options.journey_concurrency)
                    results.append(run_journeys(load, service, mock.url, journeys))
                    continue
                results.append(
                    run_workload(
                        WORKLOADS[name], targets, load, service, baseline, options, database_path
                    )
                )
    return BenchReport(options=asdict(options), results=results)
