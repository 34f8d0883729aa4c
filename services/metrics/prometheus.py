"""The metrics port kept in Prometheus metrics, in a registry of this instance's own.

Not the process-wide default registry: several apps in one process (the tests, the bench's
in-process service) would otherwise count into each other or refuse to register twice.

The event log's gauges (the failed-event backlog, the mirror's lag) are read when scraped, not
kept up to date by every delivery: a scrape every few seconds costs two indexed queries, while
keeping them current would cost the ingest path a query per event. When the read fails, the
scrape goes on without them: an absent series says "unknown", a stale one would lie.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from services.metrics.bounded import BoundedLabel

logger = logging.getLogger(__name__)

MEDIA_TYPE = CONTENT_TYPE_LATEST
PREFIX = "billing_portal"
# A delivery whose signature did not verify: its type is whatever the sender wrote.
UNVERIFIED = "unverified"
# Distinct label values kept per label; the rest count as `other`. Stripe sends about 250 event
# types; an app sends a few dozen operations and this service calls a few dozen endpoints.
OPERATION_NAMES = 100
STRIPE_ENDPOINTS = 100
EVENT_TYPES = 300
# Stripe answers in tens to hundreds of milliseconds; the gateway gives up at its deadline.
STRIPE_SECONDS_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)
BATCH_SIZE_BUCKETS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
EVENT_LOG_READ_TIMEOUT_SECONDS = 2.0


class EventLogReading(Protocol):
    @property
    def failed(self) -> int:
        """Events stored as failed, waiting for a redelivery or a replay."""

    @property
    def newest_applied_created(self) -> int | None:
        """Stripe's `created` (unix seconds) of the newest event applied to the mirror."""


ReadEventLog = Callable[[], Awaitable[EventLogReading]]


class _EventLogGauges(Collector):
    """Yields the gauges of the reading the current scrape made, if it made one."""

    def __init__(self, now: Callable[[], float]) -> None:
        self.reading: EventLogReading | None = None
        self._now = now

    def collect(self) -> Iterable[Metric]:
        reading = self.reading
        if reading is None:
            return
        yield GaugeMetricFamily(
            f"{PREFIX}_webhook_failed_events",
            "Webhook events stored as failed, waiting for a redelivery or a replay.",
            value=reading.failed,
        )
        if reading.newest_applied_created is not None:
            lag = max(0.0, self._now() - reading.newest_applied_created)
            yield GaugeMetricFamily(
                f"{PREFIX}_mirror_lag_seconds",
                "Now minus the Stripe creation time of the newest event applied to the mirror.",
                value=lag,
            )


class PrometheusMetrics:
    """`read_event_log` reads the event log's gauges at each scrape; `now` is the wall clock
    the mirror's lag is measured with."""

    def __init__(
        self, read_event_log: ReadEventLog | None = None, *, now: Callable[[], float] = time.time
    ) -> None:
        self.registry = CollectorRegistry()
        self._read_event_log = read_event_log
        self._operations = BoundedLabel(OPERATION_NAMES)
        self._endpoints = BoundedLabel(STRIPE_ENDPOINTS)
        self._event_types = BoundedLabel(EVENT_TYPES)
        self._graphql_requests = Counter(
            f"{PREFIX}_graphql_requests",
            "GraphQL requests by operation name and outcome code (OK or the error's code).",
            ["operation", "code"],
            registry=self.registry,
        )
        self._stripe_seconds = Histogram(
            f"{PREFIX}_stripe_request_duration_seconds",
            "Stripe API requests, retries included, by endpoint and outcome.",
            ["endpoint", "outcome"],
            buckets=STRIPE_SECONDS_BUCKETS,
            registry=self.registry,
        )
        self._webhook_events = Counter(
            f"{PREFIX}_webhook_events",
            "Webhook deliveries by event type and outcome.",
            ["type", "outcome"],
            registry=self.registry,
        )
        self._batch_sizes = Histogram(
            f"{PREFIX}_webhook_batch_size",
            "Webhook events committed together in one transaction.",
            buckets=BATCH_SIZE_BUCKETS,
            registry=self.registry,
        )
        self._live_connections = Gauge(
            f"{PREFIX}_live_connections",
            "Live (WebSocket) connections open on this instance.",
            registry=self.registry,
        )
        self._billing_changed_messages = Counter(
            f"{PREFIX}_billing_changed_messages",
            "billingChanged messages sent to live subscriptions, the first of each included.",
            registry=self.registry,
        )
        self._event_log = _EventLogGauges(now)
        self.registry.register(self._event_log)
        ProcessCollector(registry=self.registry)

    def graphql_request(self, operation: str | None, code: str) -> None:
        self._graphql_requests.labels(self._operations(operation), code).inc()

    def stripe_request(self, endpoint: str, outcome: str, seconds: float) -> None:
        self._stripe_seconds.labels(self._endpoints(endpoint), outcome).observe(seconds)

    def webhook_event(self, event_type: str | None, outcome: str) -> None:
        kind = UNVERIFIED if event_type is None else self._event_types(event_type)
        self._webhook_events.labels(kind, outcome).inc()

    def webhook_batch(self, size: int) -> None:
        self._batch_sizes.observe(size)

    def live_connection_opened(self) -> None:
        self._live_connections.inc()

    def live_connection_closed(self) -> None:
        self._live_connections.dec()

    def billing_changed_sent(self) -> None:
        self._billing_changed_messages.inc()

    async def scrape(self) -> bytes:
        reading = await self._read_gauges()
        # No await from here on: a concurrent scrape cannot swap the reading before it is used.
        self._event_log.reading = reading
        return generate_latest(self.registry)

    async def _read_gauges(self) -> EventLogReading | None:
        if self._read_event_log is None:
            return None
        try:
            async with asyncio.timeout(EVENT_LOG_READ_TIMEOUT_SECONDS):
                return await self._read_event_log()
        except Exception as error:  # a scrape still serves the counters when the database fails
            logger.warning("metrics: the event log could not be read", extra={"error": repr(error)})
            return None
