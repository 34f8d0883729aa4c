"""The GraphQL client returns data, and names each error's code when the service refuses."""

from __future__ import annotations

import pytest

from simulator.toolkit.graphql import GraphQLClient, ServiceRefused, error_codes

VIEWER = "query Viewer { viewer { id } }"


async def test_data_is_what_the_operation_answered(client, token_for):
    graphql = GraphQLClient(client, token=token_for("user-1"))

    assert await graphql.data("Viewer", VIEWER) == {"viewer": {"id": "user-1"}}


async def test_a_refusal_names_the_operation_and_each_error_code(client):
    with pytest.raises(ServiceRefused, match=r"^Viewer answered UNAUTHENTICATED: .*, expected"):
        await GraphQLClient(client).data("Viewer", VIEWER)


async def test_the_raw_answer_keeps_the_errors_for_tests_to_read(client):
    response = await GraphQLClient(client).post(VIEWER)

    assert error_codes(response.json()) == ["UNAUTHENTICATED"]
