"""Every request the GraphQL endpoint refuses is answered in GraphQL: a JSON body of `errors`,
each with a message and a contract `extensions.code`, under a status that says why (400 for a
request that is not a GraphQL request, 405 for a method other than POST, 413 for a body over the
limit, 415 for a body that is not JSON in UTF-8). A document the engine refuses (syntax,
validation, the choice of its operation) is answered 200, like every other GraphQL error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from billing_portal.app import MAX_BODY_BYTES
from services.errors import ErrorCode
from services.models import PortalBlock
from tests.support import error_codes

JSON = {"content-type": "application/json"}
TYPENAME = "{ __typename }"
SAVE_BLOCK = (
    'savePortalBlock(input: {title: "Billing", redirectUrl: "https://localhost/account"}) { id }'
)
PERSISTED_HASH = {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}


@dataclass(frozen=True)
class Attempt:
    method: str = "POST"
    headers: dict[str, str] = field(default_factory=lambda: dict(JSON))
    content: bytes | str | None = None
    params: dict[str, str] | None = None

    async def send(self, client: httpx.AsyncClient) -> httpx.Response:
        return await client.request(
            self.method, "/graphql", headers=self.headers, content=self.content, params=self.params
        )


def posted(body: Any) -> Attempt:
    return Attempt(content=json.dumps(body))


def raw(content: bytes | str, content_type: str | None = "application/json") -> Attempt:
    headers = {"content-type": content_type} if content_type is not None else {}
    return Attempt(headers=headers, content=content)


def nested(depth: int) -> str:
    return '{"query": "{ __typename }", "variables": {"deep": ' + "[" * depth + "]" * depth + "}}"


NOT_GRAPHQL_REQUESTS = {
    "a batch of operations": posted([{"query": TYPENAME}, {"query": TYPENAME}]),
    "an empty batch": posted([]),
    "a persisted-query hash without its query": posted({"extensions": PERSISTED_HASH}),
    "no query": posted({"variables": {}}),
    "a null query": posted({"query": None}),
    "an empty query": posted({"query": ""}),
    "a query that is a number": posted({"query": 5}),
    "a query that is a list of lines": posted({"query": ["{", "__typename", "}"]}),
    "variables that are a list": posted({"query": TYPENAME, "variables": [1]}),
    "variables that are a string": posted({"query": TYPENAME, "variables": "{}"}),
    "an operationName that is a number": posted({"query": TYPENAME, "operationName": 5}),
    "an operationName that is not a GraphQL name": posted(
        {"query": TYPENAME, "operationName": "A B"}
    ),
    "an empty operationName": posted({"query": TYPENAME, "operationName": ""}),
    "extensions that are a list": posted({"query": TYPENAME, "extensions": []}),
    "an empty body": raw(b""),
    "a body of blanks": raw(b"  \n "),
    "a body cut short": raw(b'{"query": '),
    "a JSON string": raw(b'"{ __typename }"'),
    "a JSON null": raw(b"null"),
    "a JSON number": raw(b"42"),
    "a JSON true": raw(b"true"),
    "a body that is not UTF-8": raw(b'{"query": "\xff"}'),
    "a UTF-16 body": raw(json.dumps({"query": TYPENAME}).encode("utf-16")),
    "a UTF-8 byte order mark": raw(b"\xef\xbb\xbf" + json.dumps({"query": TYPENAME}).encode()),
    "a NaN": raw(b'{"query": "{ __typename }", "variables": {"x": NaN}}'),
    "an Infinity": raw(b'{"query": "{ __typename }", "variables": {"x": -Infinity}}'),
    "a number with more digits than Python parses": raw(
        b'{"query": "{ __typename }", "variables": {"x": ' + b"9" * 5000 + b"}}"
    ),
    "a key given twice": raw(b'{"query": "{ __typename }", "query": "{ plans { name } }"}'),
    "variables nested past the parser's recursion": raw(nested(100_000)),
}

NOT_JSON_BODIES = {
    "no content type": raw(json.dumps({"query": TYPENAME}), None),
    "text/plain": raw(json.dumps({"query": TYPENAME}), "text/plain"),
    "a form": raw("query=%7B__typename%7D", "application/x-www-form-urlencoded"),
    "multipart": raw("--x--", "multipart/form-data; boundary=x"),
    "application/graphql": raw(TYPENAME, "application/graphql"),
    "a look-alike media type": raw(json.dumps({"query": TYPENAME}), "application/jsonp"),
    "a list of media types": raw(json.dumps({"query": TYPENAME}), "application/json, text/plain"),
    "json named in a parameter": raw(
        json.dumps({"query": TYPENAME}), "text/plain; x=application/json"
    ),
    "a charset other than UTF-8": raw(
        json.dumps({"query": TYPENAME}), "application/json; charset=utf-16"
    ),
    "a second, different charset": raw(
        json.dumps({"query": TYPENAME}), "application/json; charset=utf-8; charset=latin1"
    ),
    "an extended charset parameter": raw(
        json.dumps({"query": TYPENAME}), "application/json; charset*=utf-8''utf-16"
    ),
}

OTHER_METHODS = {
    "a query over GET": Attempt("GET", {}, params={"query": TYPENAME}),
    "a mutation over GET": Attempt("GET", {}, params={"query": f"mutation {{ {SAVE_BLOCK} }}"}),
    "a GET without query": Attempt("GET", {"accept": "application/json"}),
    "a GET with variables that are not JSON": Attempt(
        "GET", {}, params={"query": TYPENAME, "variables": "{"}
    ),
    "PUT": Attempt("PUT", content=json.dumps({"query": TYPENAME})),
    "PATCH": Attempt("PATCH", content=json.dumps({"query": TYPENAME})),
    "DELETE": Attempt("DELETE", {}),
    "OPTIONS outside a CORS preflight": Attempt("OPTIONS", {}),
}

ACCEPTED_CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON; Charset=UTF-8",
    'application/json; charset="utf-8"',
    "application/json;charset=utf8",
    "application/json; profile=graphql",
    " application/json ",
]


def assert_graphql_refusal(response: httpx.Response, status: int) -> dict[str, Any]:
    """A refusal: `status`, a JSON body of errors only, each with a message and a contract code."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"errors"}
    assert body["errors"]
    for error in body["errors"]:
        assert isinstance(error["message"], str)
        assert error["message"]
        assert error["extensions"]["code"] in {code.value for code in ErrorCode}
    return body


@pytest.mark.parametrize("attempt", NOT_GRAPHQL_REQUESTS.values(), ids=NOT_GRAPHQL_REQUESTS)
async def test_a_body_that_is_not_one_graphql_request_is_bad_user_input_with_400(client, attempt):
    body = assert_graphql_refusal(await attempt.send(client), 400)

    assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("attempt", NOT_JSON_BODIES.values(), ids=NOT_JSON_BODIES)
async def test_a_body_that_is_not_json_in_utf8_is_refused_with_415(client, attempt):
    body = assert_graphql_refusal(await attempt.send(client), 415)

    assert error_codes(body) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("attempt", OTHER_METHODS.values(), ids=OTHER_METHODS)
async def test_an_operation_sent_otherwise_than_by_post_is_refused_with_405(client, attempt):
    response = await attempt.send(client)

    body = assert_graphql_refusal(response, 405)
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert response.headers["allow"] == "POST"


async def test_a_mutation_over_get_writes_nothing(client, admin_token, database):
    attempt = OTHER_METHODS["a mutation over GET"]
    headers = {"authorization": f"Bearer {admin_token}"}

    response = await Attempt("GET", headers, params=attempt.params).send(client)

    assert response.status_code == 405
    assert await PortalBlock.all().count() == 0


async def test_head_is_refused_with_405_naming_post(client):
    response = await client.head("/graphql")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_a_body_declared_over_the_limit_is_refused_in_graphql_with_413(client):
    response = await client.post("/graphql", content=b"x" * (MAX_BODY_BYTES + 1), headers=JSON)

    assert error_codes(assert_graphql_refusal(response, 413)) == ["BAD_USER_INPUT"]


async def test_a_streamed_body_growing_past_the_limit_is_refused_in_graphql_with_413(client):
    async def chunks():
        for _ in range(5):
            yield b"x" * (MAX_BODY_BYTES // 4)

    response = await client.post("/graphql", content=chunks(), headers=JSON)

    assert error_codes(assert_graphql_refusal(response, 413)) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize("content_type", ACCEPTED_CONTENT_TYPES)
async def test_json_in_utf8_is_accepted_whatever_the_spelling_of_its_media_type(
    client, content_type
):
    response = await raw(json.dumps({"query": TYPENAME}), content_type).send(client)

    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_variables_nested_as_deep_as_json_allows_are_ignored_when_not_declared(client):
    response = await raw(nested(500)).send(client)

    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_persisted_query_hash_sent_with_its_query_runs_the_query(client):
    response = await posted({"query": TYPENAME, "extensions": PERSISTED_HASH}).send(client)

    assert response.json() == {"data": {"__typename": "Query"}}


async def test_a_document_of_several_operations_runs_only_the_named_one(
    client, admin_token, database
):
    document = f"query Read {{ __typename }} mutation Write {{ {SAVE_BLOCK} }}"
    headers = {**JSON, "authorization": f"Bearer {admin_token}"}

    response = await client.post(
        "/graphql",
        content=json.dumps({"query": document, "operationName": "Read"}),
        headers=headers,
    )

    assert response.json() == {"data": {"__typename": "Query"}}
    assert await PortalBlock.all().count() == 0


@pytest.mark.parametrize(
    "document",
    [
        f"mutation Write {{ {SAVE_BLOCK} }} query Read {{ __typename }}",
        f"query Read {{ __typename }} mutation Write {{ {SAVE_BLOCK} }}",
    ],
    ids=["mutation first", "query first"],
)
async def test_a_document_of_several_operations_without_operation_name_runs_none(
    client, admin_token, database, document
):
    headers = {**JSON, "authorization": f"Bearer {admin_token}"}

    response = await client.post(
        "/graphql", content=json.dumps({"query": document}), headers=headers
    )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert await PortalBlock.all().count() == 0


async def test_an_unknown_operation_name_is_bad_user_input(client):
    response = await posted({"query": "query Read { __typename }", "operationName": "Other"}).send(
        client
    )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_a_document_without_an_operation_is_bad_user_input(client):
    response = await posted({"query": "fragment Name on Query { __typename }"}).send(client)

    assert response.status_code == 200
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_a_huge_unknown_operation_name_is_not_echoed(client):
    name = "Op" + "x" * (MAX_BODY_BYTES // 2)

    response = await posted({"query": "query Read { __typename }", "operationName": name}).send(
        client
    )

    assert error_codes(response.json()) == ["BAD_USER_INPUT"]
    assert len(response.content) < 1024


async def test_a_nul_byte_in_the_query_is_a_syntax_error(client):
    response = await posted({"query": "{ __typename\u0000 }"}).send(client)

    assert response.status_code == 200
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_a_lone_surrogate_in_the_query_is_a_syntax_error(client):
    response = await raw(b'{"query": "{ __typename \\ud800 }"}').send(client)

    assert response.status_code == 200
    assert error_codes(response.json()) == ["BAD_USER_INPUT"]


async def test_a_query_over_the_token_limit_sent_in_one_body_is_too_complex(client):
    response = await posted({"query": "{ " + "__typename " * 5000 + "}"}).send(client)

    assert response.status_code == 200
    assert error_codes(response.json()) == ["QUERY_TOO_COMPLEX"]
