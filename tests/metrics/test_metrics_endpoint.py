"""GET /metrics: open outside prod, off in prod unless METRICS_TOKEN is set, and then served
only to a request that carries the token."""

from __future__ import annotations

import pytest

from billing_portal.metrics_endpoint import METRICS_PATH
from billing_portal.settings import ConfigurationError, load_settings
from services.metrics import MEDIA_TYPE
from simulator.toolkit.graphql import GraphQLClient
from tests.metrics.support import scrape, value
from tests.support import app_client

TOKEN = "scraper-token-of-some-length"
REQUESTS = "billing_portal_graphql_requests_total"


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def test_metrics_are_served_outside_prod_without_a_token(metrics_client):
    response = await metrics_client.get(METRICS_PATH)

    assert response.status_code == 200
    assert response.headers["content-type"] == MEDIA_TYPE


async def test_metrics_turned_off_are_not_served(settings):
    async with app_client(settings.model_copy(update={"metrics_enabled": False})) as client:
        response = await client.get(METRICS_PATH)

    assert response.status_code == 404


async def test_prod_serves_no_metrics_without_a_token(prod_client):
    response = await prod_client.get(METRICS_PATH)

    assert response.status_code == 404


async def test_prod_with_a_token_refuses_a_scrape_without_it(prod_settings):
    async with app_client(prod_settings.model_copy(update={"metrics_token": TOKEN})) as client:
        response = await client.get(METRICS_PATH)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_prod_with_a_token_refuses_a_scrape_with_another_token(prod_settings):
    async with app_client(prod_settings.model_copy(update={"metrics_token": TOKEN})) as client:
        response = await client.get(METRICS_PATH, headers=bearer("not-" + TOKEN))

    assert response.status_code == 401


async def test_prod_with_a_token_serves_a_scrape_that_carries_it(prod_settings):
    async with app_client(prod_settings.model_copy(update={"metrics_token": TOKEN})) as client:
        samples = await scrape(client, headers=bearer(TOKEN))

    assert value(samples, "process_cpu_seconds_total") is not None


async def test_a_token_set_outside_prod_is_required_there_too(settings):
    async with app_client(settings.model_copy(update={"metrics_token": TOKEN})) as client:
        response = await client.get(METRICS_PATH)

    assert response.status_code == 401


def test_prod_refuses_to_start_with_metrics_on_and_no_token(prod_settings):
    values = prod_settings.model_dump(exclude_none=True)

    with pytest.raises(ConfigurationError, match="METRICS_TOKEN"):
        load_settings(**{**values, "metrics_enabled": True})


async def test_two_apps_in_one_process_count_apart(settings):
    async with app_client(settings) as first, app_client(settings) as second:
        await GraphQLClient(first).post("query Plans { plans { priceId } }")

        counted_by_second = value(await scrape(second), REQUESTS)

        assert value(await scrape(first), REQUESTS) == 1
    assert counted_by_second is None
