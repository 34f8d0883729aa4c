"""How many webhook events one worker ingests per second: `python -m tests.webhooks.ingest_rate`.

Each event is what one delivery costs a worker: signature check, parsing, storing it in the
event log and applying it to the mirror. The events are whole journeys (tests.webhooks.journey)
with fresh ids, delivered `--concurrency` at a time through one WebhookService, as one uvicorn
worker would; deliveries in flight together share commits, so the report gives the batch sizes
and the process's CPU per event beside the rate.

    python -m tests.webhooks.ingest_rate --database-url sqlite:///tmp/rate.db
    python -m tests.webhooks.ingest_rate --database-url postgres://user:pw@host/scratch_db

The database is migrated first and must be a scratch one (rows are added, never removed).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import time
import uuid
from dataclasses import dataclass

from billing_portal.database import close_database, migrate, open_database
from billing_portal.settings import DEV_WEBHOOK_SECRET
from services.stripe_gateway import StripeGateway
from services.webhooks import Outcome, WebhookService
from simulator.toolkit.signing import signature_header
from tests.webhooks.journey import journey


@dataclass(frozen=True, slots=True)
class IngestRate:
    events: int
    seconds: float
    concurrency: int
    cpu_seconds: float
    batches: int

    @property
    def per_second(self) -> float:
        return self.events / self.seconds

    @property
    def cpu_ms_per_event(self) -> float:
        return self.cpu_seconds * 1000 / self.events

    @property
    def mean_batch(self) -> float:
        return self.events / self.batches if self.batches else 0.0


def signed_deliveries(journeys: int, secret: str) -> list[tuple[bytes, str]]:
    """Bodies and signature headers of `journeys` whole journeys, signed in advance.

    Step by step across journeys (every journey's first event, then every second one...), as
    many customers' events interleave in production, so concurrent deliveries touch different
    rows rather than queueing on one customer's.
    """
    all_journeys = [journey(uuid.uuid4().hex[:12]) for _ in range(journeys)]
    deliveries = []
    for step in zip(*all_journeys, strict=True):
        for event in step:
            payload = json.dumps(event)
            deliveries.append((payload.encode(), signature_header(payload, secret)))
    return deliveries


async def measure_ingest_rate(
    service: WebhookService, deliveries: list[tuple[bytes, str]], *, concurrency: int = 1
) -> IngestRate:
    batch_sizes: list[int] = []
    counted = dataclasses.replace(service, observe_batch=batch_sizes.append)
    queue = iter(deliveries)

    async def worker() -> None:
        for payload, signature in queue:
            outcome = await counted.receive(payload, signature)
            if outcome is not Outcome.PROCESSED:
                raise RuntimeError(f"an event was {outcome.value}, not processed")

    started, cpu_before = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return IngestRate(
        events=len(deliveries),
        seconds=time.perf_counter() - started,
        concurrency=concurrency,
        cpu_seconds=time.process_time() - cpu_before,
        batches=len(batch_sizes),
    )


async def _main(database_url: str, journeys: int, concurrency: int) -> IngestRate:
    await migrate(database_url)
    await open_database(database_url)
    # Nothing here calls Stripe (no re-fetch), so the gateway's address is never used.
    gateway = StripeGateway(api_key="sk_test_rate", api_base="http://127.0.0.1:9")
    try:
        service = WebhookService(secret=DEV_WEBHOOK_SECRET, stripe=gateway)
        await measure_ingest_rate(service, signed_deliveries(2, DEV_WEBHOOK_SECRET))  # warm-up
        deliveries = signed_deliveries(journeys, DEV_WEBHOOK_SECRET)
        return await measure_ingest_rate(service, deliveries, concurrency=concurrency)
    finally:
        await gateway.close()
        await close_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--journeys", type=int, default=100, help="20 events each")
    parser.add_argument("--concurrency", type=int, default=1, help="deliveries in flight")
    args = parser.parse_args()
    rate = asyncio.run(_main(args.database_url, args.journeys, args.concurrency))
    database = args.database_url.split("://", 1)[0]
    print(
        f"{database}: {rate.events} events in {rate.seconds:.2f}s = {rate.per_second:.0f} "
        f"events/s (concurrency {rate.concurrency}), {rate.cpu_ms_per_event:.3f} ms of CPU "
        f"per event, {rate.batches} commits ({rate.mean_batch:.1f} events each)"
    )


if __name__ == "__main__":
    main()
