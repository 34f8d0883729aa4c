"""The load generator: a separate process, so the client's CPU never counts as the server's.

`LoadProcess` keeps one spawned worker process for the whole run; each `run` sends it a driver
and gets back the samples of the measuring window.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import uvloop

from simulator.bench.drivers import Driver
from simulator.bench.stats import Samples

A = TypeVar("A")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class LoadPlan:
    driver: Driver
    concurrency: int
    warmup_seconds: float
    seconds: float
    first_sequence: int = 0
    """Where request numbers start, so that later rounds send new event ids."""


async def drive(plan: LoadPlan) -> Samples:
    """`concurrency` workers send back to back; only requests started after warm-up count."""
    driver = plan.driver
    await driver.open()
    samples = Samples()
    sequence = itertools.count(plan.first_sequence)
    measuring_from = time.perf_counter() + plan.warmup_seconds
    until = measuring_from + plan.seconds

    async def worker() -> None:
        while (started := time.perf_counter()) < until:
            try:
                ok = await driver.send(next(sequence))
            except Exception:  # a failed request is a counted error, never the end of the run
                ok = False
            finished = time.perf_counter()
            samples.sent_total += 1
            samples.accepted_total += ok
            if started < measuring_from:
                continue
            if ok:
                samples.latencies.append(finished - started)
            else:
                samples.errors += 1

    try:
        await asyncio.gather(*(worker() for _ in range(plan.concurrency)))
    finally:
        await driver.close()
    samples.seconds = max(time.perf_counter() - measuring_from, 1e-9)
    return samples


def _run_in_worker(plan: LoadPlan) -> Samples:
    return uvloop.run(drive(plan))


class LoadProcess:
    """One spawned process that runs load plans one after another."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn")
        )

    def run(self, plan: LoadPlan) -> Samples:
        return self.call(_run_in_worker, plan)

    def call(self, function: Callable[[A], R], argument: A) -> R:
        """Run `function(argument)` in the load process (both must pickle)."""
        return self._pool.submit(function, argument).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    def __enter__(self) -> LoadProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
