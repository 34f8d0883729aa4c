"""Workload 5: the simulator's customers against the bench's service, from the load process.

The simulator is already an outside client (GraphQL plus signed webhooks, playing Stripe against
stripe-mock); here it runs with `--target` pointed at the bench's server, so its own CPU stays out
of the server's process like every other load.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import uvloop

from simulator import SimulationConfig, run_simulation
from simulator.bench.stats import Samples

JOURNEY_SCENARIO = "subscribe_then_cancel_in_portal"


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
