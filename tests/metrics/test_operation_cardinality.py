"""However many operation names callers invent, the operation label keeps a bounded number of
values: names beyond the first ones an instance saw count as `other`."""

from __future__ import annotations

from services.metrics.prometheus import OPERATION_NAMES
from simulator.toolkit.graphql import GraphQLClient
from tests.metrics.support import label_values, scrape, value

REQUESTS = "billing_portal_graphql_requests_total"


async def test_many_distinct_operation_names_keep_the_label_bounded(metrics_client):
    graphql = GraphQLClient(metrics_client)
    names = [f"Invented{number}" for number in range(OPERATION_NAMES + 50)]
    for name in names:
        await graphql.post(f"query {name} {{ plans {{ priceId }} }}", operation=name)

    samples = await scrape(metrics_client)

    operations = label_values(samples, REQUESTS, "operation")
    assert len(operations) == OPERATION_NAMES + 1
    assert "other" in operations
    assert value(samples, REQUESTS, operation="other", code="OK") == 50


async def test_a_very_long_operation_name_is_counted_as_other(metrics_client):
    name = "Long" + "g" * 200
    await GraphQLClient(metrics_client).post(
        f"query {name} {{ plans {{ priceId }} }}", operation=name
    )

    samples = await scrape(metrics_client)

    assert label_values(samples, REQUESTS, "operation") == {"other"}
