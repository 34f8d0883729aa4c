"""The failed-event backlog and the mirror's lag are read from the event log when scraped."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap
from services.metrics import PrometheusMetrics
from services.models import StripeEvent
from services.webhooks import log as event_log
from tests.metrics.support import scrape, value
from tests.webhooks import support as s

BACKLOG = "billing_portal_webhook_failed_events"
LAG = "billing_portal_mirror_lag_seconds"
NOW = s.BASE_TIME + 3600


@pytest.fixture
async def client_at_now(settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app whose wall clock reads NOW."""
    metrics = PrometheusMetrics(event_log.summary, now=lambda: NOW)
    app = create_app(settings, services=bootstrap(settings, metrics=metrics), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
    await app.state.services.close()


async def stored(event_id: str, status: str, created: int) -> None:
    await StripeEvent.create(
        id=event_id, type="customer.updated", created=created, payload={}, status=status
    )


async def test_the_backlog_counts_the_failed_events(client_at_now):
    await stored("evt_failed_1", "failed", s.BASE_TIME)
    await stored("evt_failed_2", "failed", s.BASE_TIME)
    await stored("evt_done", "processed", s.BASE_TIME)

    samples = await scrape(client_at_now)

    assert value(samples, BACKLOG) == 2


async def test_the_backlog_empties_when_a_failed_event_is_applied_again(client_at_now, settings):
    body = s.event("customer.created", s.customer("cus_1"), created=s.BASE_TIME)
    await stored(body["id"], "failed", s.BASE_TIME)

    await s.deliver(client_at_now, body, settings.webhook_secret)

    assert value(await scrape(client_at_now), BACKLOG) == 0


async def test_the_lag_is_the_age_of_the_newest_applied_event(client_at_now, settings):
    for created in (s.BASE_TIME, s.BASE_TIME + 600):
        body = s.event("customer.updated", s.customer("cus_1"), created=created)
        await s.deliver(client_at_now, body, settings.webhook_secret)

    samples = await scrape(client_at_now)

    assert value(samples, LAG) == NOW - (s.BASE_TIME + 600)


async def test_events_not_applied_do_not_count_for_the_lag(client_at_now):
    await stored("evt_failed", "failed", NOW - 1)
    await stored("evt_ignored", "ignored", NOW - 1)
    await stored("evt_applied", "processed", s.BASE_TIME)

    samples = await scrape(client_at_now)

    assert value(samples, LAG) == NOW - s.BASE_TIME


async def test_there_is_no_lag_before_the_first_event_is_applied(client_at_now):
    samples = await scrape(client_at_now)

    assert value(samples, LAG) is None
    assert value(samples, BACKLOG) == 0


async def test_a_scrape_without_the_database_still_serves_the_counters():
    async def unreadable():
        raise ConnectionError("database down")

    metrics = PrometheusMetrics(unreadable)
    metrics.graphql_request("Plans", "OK")

    text = (await metrics.scrape()).decode()

    assert "billing_portal_graphql_requests_total" in text
    assert BACKLOG not in text
