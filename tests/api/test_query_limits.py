"""Protection of the GraphQL endpoint: document limits and masked internal errors."""

from __future__ import annotations

import logging

from schema.limits import MAX_ALIASES, MAX_DEPTH, MAX_TOKENS
from tests.support import error_codes, graphql


def _nested(depth: int) -> str:
    selection = "id"
    for _ in range(depth - 1):
        selection = f"subscriptions {{ {selection} }}"
    return f"query {{ viewer {{ {selection} }} }}"


async def test_an_over_deep_query_is_too_complex(client, token_for):
    """The depth is measured on the document, before (and whatever) the schema says of it."""
    body = await graphql(client, _nested(MAX_DEPTH + 2), token=token_for("user-1"))

    assert "QUERY_TOO_COMPLEX" in error_codes(body)
    assert body["data"] is None


async def test_a_query_as_deep_as_the_product_needs_runs(client, token_for):
    body = await graphql(client, _nested(2), token=token_for("user-1"))

    assert body == {"data": {"viewer": {"subscriptions": []}}}


async def test_an_alias_bomb_is_too_complex(client, database):
    aliases = " ".join(f"p{i}: plans {{ name }}" for i in range(MAX_ALIASES + 1))

    body = await graphql(client, f"query {{ {aliases} }}")

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]
    assert body["data"] is None


async def test_a_document_with_too_many_tokens_is_too_complex(client, database):
    fields = "plans { name } " * (MAX_TOKENS // 4 + 1)

    body = await graphql(client, f"query {{ {fields} }}")

    assert error_codes(body) == ["QUERY_TOO_COMPLEX"]


async def test_a_syntax_error_is_bad_user_input(client):
    body = await graphql(client, "query { plans { name ")

    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_an_unknown_field_is_bad_user_input(client):
    body = await graphql(client, "query { secrets }")

    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_an_unexpected_error_is_masked_and_logged(client, app, monkeypatch, caplog):
    async def broken() -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(app.state.services.catalog, "plans", broken)

    with caplog.at_level(logging.ERROR, logger="schema.errors"):
        body = await graphql(client, "query { plans { name } }")

    assert error_codes(body) == ["INTERNAL_SERVER_ERROR"]
    assert "hunter2" not in str(body)
    assert any("hunter2" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)
