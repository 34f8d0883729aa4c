"""Each webhook delivery is counted by its event type and what became of it."""

from __future__ import annotations

import asyncio

from simulator.toolkit.servers import free_port
from tests.metrics.support import scrape, value
from tests.support import app_client
from tests.webhooks import support as s

EVENTS = "billing_portal_webhook_events_total"
BATCH_SIZES = "billing_portal_webhook_batch_size"


def customer_created(created: int = s.BASE_TIME):
    return s.event("customer.created", s.customer("cus_metrics"), created=created)


async def test_an_applied_event_is_counted_as_processed(metrics_client, settings):
    await s.deliver(metrics_client, customer_created(), settings.webhook_secret)

    samples = await scrape(metrics_client)

    assert value(samples, EVENTS, type="customer.created", outcome="processed") == 1


async def test_a_second_delivery_of_an_event_is_counted_as_duplicate(metrics_client, settings):
    body = customer_created()
    await s.deliver(metrics_client, body, settings.webhook_secret)

    await s.deliver(metrics_client, body, settings.webhook_secret)

    samples = await scrape(metrics_client)
    assert value(samples, EVENTS, type="customer.created", outcome="duplicate") == 1


async def test_an_event_of_a_type_the_mirror_ignores_is_counted_as_ignored(
    metrics_client, settings
):
    body = s.event("balance.available", {"id": "bal_1", "object": "balance"}, created=s.BASE_TIME)

    await s.deliver(metrics_client, body, settings.webhook_secret)

    samples = await scrape(metrics_client)
    assert value(samples, EVENTS, type="balance.available", outcome="ignored") == 1


async def test_an_event_whose_handling_fails_is_counted_as_failed(settings):
    stripe_down = settings.model_copy(
        update={
            "webhook_refetch_objects": True,
            "stripe_api_base": f"http://127.0.0.1:{free_port()}",
            "stripe_max_network_retries": 0,
        }
    )
    async with app_client(stripe_down) as client:
        await s.deliver(client, customer_created(), settings.webhook_secret)

        samples = await scrape(client)

    assert value(samples, EVENTS, type="customer.created", outcome="failed") == 1


async def test_a_delivery_that_is_not_stripes_is_counted_as_rejected(metrics_client):
    await s.deliver(metrics_client, customer_created(), "whsec_someone_else")

    samples = await scrape(metrics_client)

    assert value(samples, EVENTS, type="unverified", outcome="rejected") == 1


async def test_each_group_commit_is_observed_with_its_size(metrics_client, settings):
    bodies = [customer_created(s.BASE_TIME + offset) for offset in range(8)]

    await asyncio.gather(*(s.deliver(metrics_client, b, settings.webhook_secret) for b in bodies))

    samples = await scrape(metrics_client)
    assert value(samples, f"{BATCH_SIZES}_sum") == len(bodies)
    assert 1 <= (value(samples, f"{BATCH_SIZES}_count") or 0) <= len(bodies)
