"""In prod the schema is private: besides introspection being off, an error about a misspelled
name neither suggests the right one nor names any part of the schema the request did not name
itself. Outside prod the same mistakes still get their "Did you mean ...?".
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest

from tests.hardening.support import post_graphql

SCHEMA = graphql.build_schema(
    (Path(__file__).resolve().parents[2] / "schema.graphql").read_text(encoding="utf-8")
)
NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
CHECKOUT = 'successUrl: "https://localhost/done", cancelUrl: "https://localhost/back"'
CHECKOUT_VARIABLES = {"successUrl": "https://localhost/done", "cancelUrl": "https://localhost/back"}
STATUSES_QUERY = (
    "query ($s: [SubscriptionStatus!]) { viewer { subscriptions(statuses: $s) { id } } }"
)
CHECKOUT_MUTATION = "mutation ($i: CheckoutInput!) { createCheckoutSession(input: $i) { id } }"

MISSPELLINGS: dict[str, tuple[str, dict[str, Any] | None]] = {
    "a root field": ("{ viewr { id } }", None),
    "a field of an object": ("{ plans { nam } }", None),
    "an argument": ("{ viewer { subscriptions(statuss: [ACTIVE]) { id } } }", None),
    "a required argument": ('{ portalBlock(idd: "1") { id } }', None),
    "an enum value written inline": (
        "{ viewer { subscriptions(statuses: [ACTIV]) { id } } }",
        None,
    ),
    "an enum value in a variable": (STATUSES_QUERY, {"s": ["ACTIV"]}),
    "an enum value in an input variable": (
        CHECKOUT_MUTATION,
        {"i": {"priceId": "price_1", "mode": "SUBSCRIPTIO", **CHECKOUT_VARIABLES}},
    ),
    "a type of a variable": (
        "query ($s: [SubscriptionStatu!]) { viewer { subscriptions(statuses: $s) { id } } }",
        None,
    ),
    "a type of a fragment": ("{ viewer { ... on Vewer { id } } }", None),
    "a required input field written inline": (
        f'mutation {{ createCheckoutSession(input: {{pricId: "price_1", {CHECKOUT}}}) {{ id }} }}',
        None,
    ),
    "a required input field in a variable": (
        CHECKOUT_MUTATION,
        {"i": {"pricId": "price_1", **CHECKOUT_VARIABLES}},
    ),
    "an object field left without a selection": ("{ viewer }", None),
    "a directive": ("{ plans @skp(if: true) { name } }", None),
}
# The kinds graphql-core has a suggestion for (a missing selection names the field the request
# wrote, and directives get none).
SUGGESTED = [
    kind
    for kind in MISSPELLINGS
    if kind not in {"an object field left without a selection", "a directive"}
]


def schema_names() -> set[str]:
    """Every name the served schema defines, apart from the scalars every schema has."""
    names: set[str] = set()
    for type_name, named in SCHEMA.type_map.items():
        if type_name.startswith("__") or type_name in graphql.specified_scalar_types:
            continue
        names.add(type_name)
        if isinstance(named, graphql.GraphQLEnumType):
            names.update(named.values)
        if isinstance(named, graphql.GraphQLInputObjectType):
            names.update(named.fields)
        if isinstance(named, graphql.GraphQLObjectType):
            for field_name, definition in named.fields.items():
                names.add(field_name)
                names.update(definition.args)
    return names


SCHEMA_NAMES = schema_names()


async def messages_for(client: httpx.AsyncClient, kind: str) -> list[str]:
    document, variables = MISSPELLINGS[kind]
    response = await post_graphql(client, document, variables)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    assert body["errors"]
    assert {error["extensions"]["code"] for error in body["errors"]} == {"BAD_USER_INPUT"}
    return [error["message"] for error in body["errors"]]


def names_the_request_did_not_write(kind: str, message: str) -> set[str]:
    document, variables = MISSPELLINGS[kind]
    written = set(NAME.findall(document + json.dumps(variables)))
    return {name for name in NAME.findall(message) if name in SCHEMA_NAMES} - written


@pytest.mark.parametrize("kind", MISSPELLINGS)
async def test_in_prod_a_misspelling_gets_no_suggestion(prod_client, kind):
    for message in await messages_for(prod_client, kind):
        assert "did you mean" not in message.lower(), message


@pytest.mark.parametrize("kind", MISSPELLINGS)
async def test_in_prod_an_error_names_nothing_of_the_schema_the_request_did_not_name(
    prod_client, kind
):
    for message in await messages_for(prod_client, kind):
        assert names_the_request_did_not_write(kind, message) == set(), message


async def test_in_prod_a_valid_operation_is_answered(prod_client, catalog):
    response = await post_graphql(
        prod_client, "query ($id: ID!) { plans { name } portalBlock(id: $id) { id } }", {"id": "1"}
    )

    assert response.json() == {
        "data": {
            "plans": [{"name": "Basic"}, {"name": "E-book"}, {"name": "Pro"}],
            "portalBlock": None,
        }
    }


async def test_in_prod_an_error_still_points_at_the_mistake(prod_client):
    response = await post_graphql(prod_client, "{\n  viewr { id }\n}")

    error = response.json()["errors"][0]
    assert error["locations"] == [{"line": 2, "column": 3}]
    assert "viewr" in error["message"]


@pytest.mark.parametrize("kind", SUGGESTED)
async def test_outside_prod_a_misspelling_is_answered_with_a_suggestion(client, kind):
    messages = await messages_for(client, kind)

    assert any("Did you mean" in message for message in messages), messages
