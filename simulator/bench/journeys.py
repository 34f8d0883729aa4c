"""Workload 5: the simulator's customers against the bench's service, from the load process.

The simulator is already an outside client (GraphQL plus signed webhooks, playing Stripe against
stripe-mock); here it runs with `--target` pointed at the bench's server, so its own CPU stays out
of the server's process like every other load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import uvloop

from simulator.bench.load import LoadProcess
from simulator.bench.process_stats import cpu_seconds, peak_rss_mib, reset_peak_rss
from simulator.bench.report import WorkloadResult
from simulator.bench.service import ServiceSecrets
from simulator.bench.stats import Samples
from simulator.runner import SimulationConfig, run_simulation
from simulator.toolkit.servers import ChildServer

SIMULATOR = "simulator"
JOURNEY_SCENARIO = "subscribe_then_cancel_in_portal"


@dataclass(frozen=True, slots=True)
class JourneyOptions:
    journeys: int = 200
    concurrency: int = 32


@dataclass(frozen=True, slots=True)
class JourneyOutcome:
    samples: Samples
    """One latency sample per passed journey; failed journeys are the errors."""
    client_cpu_seconds: float
    """What the simulator itself burnt: near its wall time means the client is the limit."""
    setup_failure: str | None
    failures: tuple[str, ...]
    """The first few failures, so a red run says why without the full simulator report."""


async def simulate(config: SimulationConfig) -> JourneyOutcome:
    cpu_before = time.process_time()
    report = await run_simulation(config)
    client_cpu = time.process_time() - cpu_before
    samples = Samples(seconds=report.wall_seconds)
    for journey in report.journeys:
        if journey.passed:
            samples.latencies.append(journey.duration_ms / 1000)
        else:
            samples.errors += 1
    failures = [
        f"{journey.customer}: {journey.failures[0]}"
        for journey in report.journeys
        if not journey.passed and journey.failures
    ]
    return JourneyOutcome(samples, client_cpu, report.setup_failure, tuple(failures[:3]))


def simulate_in_worker(config: SimulationConfig) -> JourneyOutcome:
    return uvloop.run(simulate(config))


def run_journeys(
    load: LoadProcess,
    service: ChildServer,
    stripe_mock_url: str,
    service_secrets: ServiceSecrets,
    options: JourneyOptions,
) -> WorkloadResult:
    """Run the journeys from the load process against the bench's service."""
    config = SimulationConfig(
        scenarios=(JOURNEY_SCENARIO,),
        users=options.journeys,
        concurrency=options.concurrency,
        targets=(service.url,),
        webhook_secret=service_secrets.webhook_secret,
        jwt_secret=service_secrets.jwt_secret,
        stripe_mock_url=stripe_mock_url,
    )
    measured_rss = reset_peak_rss(service.pid)
    cpu_before = cpu_seconds(service.pid)
    outcome = load.call(simulate_in_worker, config)
    service_cpu = cpu_seconds(service.pid) - cpu_before
    summary = outcome.samples.summary()
    details: dict[str, object] = {
        "journeys": options.journeys,
        "journey_concurrency": options.concurrency,
        "passed": summary.requests,
        "failed": summary.errors,
        "all_passed": outcome.setup_failure is None and summary.errors == 0,
        "journeys_per_second": round(summary.requests / summary.seconds, 2),
        # Busy fractions of one core: whichever is near 1.0 is what limits the journeys.
        "service_cpu_share": _share(service_cpu, summary.seconds),
        "simulator_cpu_share": _share(outcome.client_cpu_seconds, summary.seconds),
    }
    if outcome.setup_failure or outcome.failures:
        details["problems"] = [p for p in (outcome.setup_failure, *outcome.failures) if p]
    return WorkloadResult(
        name=SIMULATOR,
        description=f"{options.journeys} customers through {JOURNEY_SCENARIO}",
        service=summary,
        peak_rss_mib=peak_rss_mib(service.pid) if measured_rss else None,
        details=details,
    )


def _share(cpu: float, wall: float) -> float | None:
    return round(cpu / wall, 2) if wall > 0 else None
