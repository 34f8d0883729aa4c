"""GraphQL requests are counted by operation name and outcome code; a name counts as itself
only when it names an operation of a document that validated."""

from __future__ import annotations

from simulator.toolkit.graphql import GraphQLClient
from tests.metrics.support import scrape, value

REQUESTS = "billing_portal_graphql_requests_total"
PLANS = "query Plans { plans { priceId } }"


async def test_a_named_operation_is_counted_under_its_name_and_OK(metrics_client):
    await GraphQLClient(metrics_client).post(PLANS, operation="Plans")

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="Plans", code="OK") == 1


async def test_an_operation_that_fails_is_counted_under_its_error_code(metrics_client):
    await GraphQLClient(metrics_client).post("query Me { viewer { id } }")

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="Me", code="UNAUTHENTICATED") == 1
    assert value(samples, REQUESTS, operation="Me", code="OK") is None


async def test_an_anonymous_operation_is_counted_as_other(metrics_client):
    await GraphQLClient(metrics_client).post("{ plans { priceId } }")

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="other", code="OK") == 1


async def test_the_name_of_a_document_that_did_not_validate_is_not_a_label(metrics_client):
    await GraphQLClient(metrics_client).post("query Probe { noSuchField }")

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="other", code="BAD_USER_INPUT") == 1
    assert value(samples, REQUESTS, operation="Probe") is None


async def test_a_requested_name_the_document_does_not_define_is_not_a_label(metrics_client):
    await GraphQLClient(metrics_client).post(PLANS, operation="Invented")

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="other", code="BAD_USER_INPUT") == 1
    assert value(samples, REQUESTS, operation="Invented") is None


async def test_a_request_refused_before_it_reaches_graphql_is_counted_as_other(metrics_client):
    await metrics_client.post("/graphql", content=PLANS, headers={"content-type": "text/plain"})

    samples = await scrape(metrics_client)

    assert value(samples, REQUESTS, operation="other", code="BAD_USER_INPUT") == 1
