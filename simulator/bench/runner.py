"""One bench run: stripe-mock, the service and the baseline server as child processes, seeded
over HTTP, then each workload and its floor loaded in turn from the load process.

The bench is an operator and a client, never an insider (see simulator.bench.service): what the
service stored is checked through its command line and its GraphQL API.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import httpx

from simulator.bench import seed
from simulator.bench.database import bench_databases, without_credentials
from simulator.bench.errors import BenchFailed
from simulator.bench.journeys import SIMULATOR, JourneyOptions, run_journeys
from simulator.bench.load import LoadPlan, LoadProcess
from simulator.bench.process_stats import cpu_seconds, peak_rss_mib, reset_peak_rss
from simulator.bench.report import BenchReport, WorkloadResult
from simulator.bench.seed import SeedFailed
from simulator.bench.service import (
    ServiceSecrets,
    baseline_environment,
    service_command,
    service_environment,
    service_server,
    stored_events,
)
from simulator.bench.stats import Samples
from simulator.bench.workloads import (
    DEFAULT_CONCURRENCY,
    WEBHOOK_EVENT_PREFIX,
    WORKLOADS,
    Targets,
    Workload,
)
from simulator.toolkit.graphql import GraphQLClient, ServiceRefused, ServiceUnreachable
from simulator.toolkit.latency_proxy import latency_proxy_server
from simulator.toolkit.servers import ChildServer, ServerDidNotStart
from simulator.toolkit.stripe_mock import StripeMockServer
from simulator.toolkit.tokens import TokenMinter

TOKEN_TTL_SECONDS = 6 * 3600
MIN_USERS = 8
SEQUENCES_PER_ROUND = 100_000_000
ALL_WORKLOADS = (*WORKLOADS, SIMULATOR)


@dataclass(frozen=True, slots=True)
class BenchOptions:
    seconds: float = 6.0
    concurrency: int | None = None
    """Requests in flight for every workload; None: each workload's own."""
    warmup_seconds: float = 1.0
    workloads: tuple[str, ...] = ALL_WORKLOADS
    journeys: int = 200
    journey_concurrency: int = 32
    rounds: int = 3
    database_url: str | None = None
    """A PostgreSQL server to run on (in a database of the run's own); None: SQLite files."""
    stripe_latency_ms: float = 250.0
    """How late Stripe answers in the workloads that measure at Stripe's latency."""

    def __post_init__(self) -> None:
        counts = {
            "--concurrency": self.concurrency,
            "--rounds": self.rounds,
            "--journeys": self.journeys,
            "--journey-concurrency": self.journey_concurrency,
        }
        for option, value in counts.items():
            if value is not None and value < 1:
                raise BenchFailed(f"{option} must be at least 1")
        if self.seconds <= 0 or self.warmup_seconds < 0:
            raise BenchFailed("--seconds must be positive and --warmup not negative")
        if self.stripe_latency_ms < 0:
            raise BenchFailed("--stripe-latency-ms must not be negative")


Progress = Callable[[str], None]
BASELINE_SERVER = ("uvicorn", "simulator.bench.baseline_app:app")
SUBSCRIPTION_IDS_QUERY = "query SubscriptionIds { viewer { subscriptions { id } } }"


async def seed_targets(
    service: ChildServer,
    baseline: ChildServer,
    stripe_mock_url: str,
    service_secrets: ServiceSecrets,
    users: int,
) -> Targets:
    tokens = TokenMinter(service_secrets.jwt_secret)
    user_tokens = [
        tokens.mint(f"bench-user-{index}", ttl_seconds=TOKEN_TTL_SECONDS) for index in range(users)
    ]
    async with httpx.AsyncClient(base_url=service.url, timeout=60.0) as http:
        catalog = await seed.recurring_plan(http)
        customers = await seed.customers(http, catalog, user_tokens)
        template = await seed.subscription_template(stripe_mock_url, service_secrets.api_key)
        subscriptions = await seed.subscriptions(
            http, service_secrets.webhook_secret, template, catalog, customers
        )
    return Targets(
        service_url=service.url,
        baseline_url=baseline.url,
        stripe_mock_url=stripe_mock_url,
        api_key=service_secrets.api_key,
        webhook_secret=service_secrets.webhook_secret,
        catalog=catalog,
        customers=tuple(customers),
        subscriptions=tuple(subscriptions),
    )


async def mirrored_subscriptions(targets: Targets) -> int:
    """The subscriptions the bench's users see in their viewer, read the way the app reads them."""
    async with httpx.AsyncClient(base_url=targets.service_url, timeout=60.0) as http:

        async def seen_by(token: str) -> int:
            data = await GraphQLClient(http, token=token).data(
                "SubscriptionIds", SUBSCRIPTION_IDS_QUERY
            )
            return len(data["viewer"]["subscriptions"])

        try:
            seen = await asyncio.gather(*(seen_by(c.token) for c in targets.customers))
        except (ServiceRefused, ServiceUnreachable) as error:
            raise BenchFailed(f"reading the mirrored subscriptions: {error}") from None
    return sum(seen)


def run_workload(
    workload: Workload,
    targets: Targets,
    load: LoadProcess,
    service: ChildServer,
    baseline: ChildServer,
    options: BenchOptions,
    environment: Mapping[str, str],
) -> WorkloadResult:
    """Alternate floor and service in short rounds, so a neighbour's burst hits both sides."""
    floor, samples, reference = Samples(), Samples(), Samples()
    floor_server = baseline if workload.floor_is_a_server else None
    sides = [(workload.baseline, floor, floor_server), (workload.service, samples, service)]
    if workload.reference is not None:
        sides.insert(0, (workload.reference, reference, baseline))
    concurrency = options.concurrency or workload.concurrency
    measured_rss = reset_peak_rss(service.pid)
    for round_number in range(options.rounds):
        for driver_of, into, server in sides:
            plan = LoadPlan(
                driver=driver_of(targets),
                concurrency=concurrency,
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
        "concurrency": concurrency,
        "service_cpu_ms_per_request": samples.server_cpu_ms_per_request(),
        "floor_cpu_ms_per_request": floor.server_cpu_ms_per_request(),
    }
    if workload.reference is not None:
        details["reference_cpu_ms_per_request"] = reference.server_cpu_ms_per_request()
    if workload.stripe_latency:
        details["stripe_latency_ms"] = options.stripe_latency_ms
    if workload.counts_events:
        by_status = stored_events(environment, WEBHOOK_EVENT_PREFIX)
        applied = by_status["processed"] + by_status["ignored"]
        details |= {
            "events_accepted": samples.accepted_total,
            "events_stored": sum(by_status.values()),
            "events_applied": applied,
            "lost_events": samples.accepted_total - applied,
            "mirrored_subscriptions": asyncio.run(mirrored_subscriptions(targets)),
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
        reference=reference.summary() if workload.reference is not None else None,
        reference_description=workload.reference_description,
    )


@contextmanager
def started(*servers: ChildServer) -> Iterator[None]:
    """Every server running until the block ends; one that does not start fails the run."""
    with ExitStack() as stack:
        for server in servers:
            try:
                stack.enter_context(server)
            except ServerDidNotStart as error:
                raise BenchFailed(str(error)) from None
        yield


@dataclass(frozen=True, slots=True)
class LateStripe:
    """A second service whose Stripe answers late, on the same database and seeded state."""

    service: ChildServer
    targets: Targets


@contextmanager
def late_stripe(
    targets: Targets, environment: Mapping[str, str], options: BenchOptions, work: Path
) -> Iterator[LateStripe]:
    """stripe-mock behind the latency proxy, and the service talking to it through the proxy;
    the floor's SDK calls go through the same proxy (the targets' Stripe)."""
    proxy = latency_proxy_server(
        targets.stripe_mock_url, options.stripe_latency_ms, work / "latency-proxy.log"
    )
    late_environment = {**environment, "STRIPE_API_BASE": proxy.url}
    service = service_server(late_environment, work / "service-late-stripe.log")
    with started(proxy, service):
        late_targets = replace(targets, service_url=service.url, stripe_mock_url=proxy.url)
        yield LateStripe(service, late_targets)


def run_bench(options: BenchOptions, progress: Progress) -> BenchReport:
    unknown = sorted(set(options.workloads) - set(ALL_WORKLOADS))
    if unknown:
        raise BenchFailed(f"unknown workload(s) {unknown}; choose from {list(ALL_WORKLOADS)}")
    http_workloads = [name for name in options.workloads if name in WORKLOADS]
    service_secrets = ServiceSecrets.generate()
    results: list[WorkloadResult] = []
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="billing-bench-")))
        databases = stack.enter_context(bench_databases(options.database_url, work))
        mock = stack.enter_context(StripeMockServer())
        environment = service_environment(databases.service_url, mock.url, service_secrets)
        service_command(environment, "migrate")
        service = service_server(environment, work / "service.log")
        baseline = ChildServer.python_module(
            "baseline",
            [*BASELINE_SERVER, "--no-access-log", "--log-level", "warning"],
            probe="/graphql",
            environment=baseline_environment(databases.floor_url, service_secrets),
            log_path=work / "baseline.log",
        )
        with started(service, baseline), LoadProcess() as load, ExitStack() as late:
            late_side: LateStripe | None = None
            if http_workloads:
                progress("seeding users, customers and subscriptions over HTTP")
                users = max(options.concurrency or DEFAULT_CONCURRENCY, MIN_USERS)
                try:
                    targets = asyncio.run(
                        seed_targets(service, baseline, mock.url, service_secrets, users)
                    )
                except SeedFailed as error:
                    raise SeedFailed(f"{error}\nservice log:\n{service.log_tail()}") from None
            for name in options.workloads:
                progress(f"workload {name}")
                if name == SIMULATOR:
                    journeys = JourneyOptions(options.journeys, options.journey_concurrency)
                    results.append(run_journeys(load, service, mock.url, service_secrets, journeys))
                    continue
                workload = WORKLOADS[name]
                if not workload.stripe_latency:
                    results.append(
                        run_workload(
                            workload, targets, load, service, baseline, options, environment
                        )
                    )
                    continue
                if late_side is None:
                    progress(f"Stripe answering {options.stripe_latency_ms:g} ms late")
                    late_side = late.enter_context(late_stripe(targets, environment, options, work))
                results.append(
                    run_workload(
                        workload,
                        late_side.targets,
                        load,
                        late_side.service,
                        baseline,
                        options,
                        environment,
                    )
                )
    described = asdict(options)
    if options.database_url is not None:
        described["database_url"] = without_credentials(options.database_url)
    return BenchReport(options=described, results=results)
