"""The HTTP surface every deployment has: GraphiQL outside prod, health probes, request ids,
access logs, the body limit and CORS."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator

import httpx

from billing_portal.app import MAX_BODY_BYTES
from billing_portal.logging_setup import JsonFormatter
from simulator.toolkit.servers import free_port
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.support import app_client, error_codes, first_answer, graphql, serving_process

INTROSPECTION = "query { __schema { queryType { name } } }"
HTML = {"accept": "text/html"}


async def test_graphiql_is_served_to_a_browser_outside_prod(client):
    response = await client.get("/graphql", headers=HTML)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()


async def test_graphiql_is_not_served_in_prod(prod_client):
    response = await prod_client.get("/graphql", headers=HTML)

    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()


async def test_introspection_answers_outside_prod(client):
    body = await graphql(client, INTROSPECTION)

    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_introspection_is_refused_in_prod(prod_client):
    body = await graphql(prod_client, INTROSPECTION)

    assert body.get("data") is None
    assert set(error_codes(body)) == {"BAD_USER_INPUT"}


async def test_healthz_answers_while_the_process_runs(client):
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_when_database_and_stripe_answer(client):
    response = await client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_readyz_is_503_naming_stripe_when_stripe_mock_is_stopped(settings):
    stopped = await asyncio.to_thread(StripeMockServer().start)
    await asyncio.to_thread(stopped.stop)

    async with app_client(settings.model_copy(update={"stripe_api_base": stopped.url})) as http:
        response = await http.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert set(body["reasons"]) == {"stripe"}
    assert stopped.url in body["reasons"]["stripe"]


async def test_readyz_is_503_naming_the_database_when_it_is_unreachable(stripe_mock, tmp_path):
    """A real server process whose database port is closed: readiness must say so, not hang."""
    port = free_port()
    environment = {
        **os.environ,
        "BILLING_ENV": "test",
        "DATABASE_URL": f"postgres://billing:billing@127.0.0.1:{free_port()}/billing",
        "STRIPE_API_BASE": stripe_mock.url,
    }
    async with (
        serving_process(port, tmp_path, environment),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http,
    ):
        response = await first_answer(http, "/readyz")

    assert response.status_code == 503
    assert set(response.json()["reasons"]) == {"database"}


async def test_a_request_id_sent_by_the_caller_is_echoed(client):
    response = await client.get("/healthz", headers={"x-request-id": "req-from-the-spa"})

    assert response.headers["x-request-id"] == "req-from-the-spa"


async def test_a_request_without_an_id_gets_a_fresh_one(client):
    first = await client.get("/healthz")
    second = await client.get("/healthz")

    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_each_request_logs_one_json_line_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="billing_portal.access")

    response = await client.get("/healthz", headers={"x-request-id": "req-42"})

    records = [record for record in caplog.records if record.name == "billing_portal.access"]
    assert len(records) == 1
    line = JsonFormatter().format(records[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "req-42"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/healthz", 200)
    assert response.status_code == 200


async def test_a_body_declared_over_one_mebibyte_is_refused_with_413(client):
    response = await client.post(
        "/graphql",
        content=b"x" * (MAX_BODY_BYTES + 1),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413


async def test_a_streamed_body_growing_past_one_mebibyte_is_refused_with_413(client):
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"x" * (MAX_BODY_BYTES // 4)

    response = await client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 413


async def test_cors_preflight_from_an_allowed_origin_is_answered(client):
    response = await client.options(
        "/graphql",
        headers={
            "origin": "http://localhost:5173",
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )

    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"


async def test_a_browser_app_may_read_the_request_id(client):
    response = await client.get("/healthz", headers={"origin": "http://localhost:5173"})

    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "x-request-id" in response.headers["access-control-expose-headers"].lower()


async def test_cors_preflight_from_another_origin_is_refused(client):
    response = await client.options(
        "/graphql",
        headers={"origin": "https://evil.example", "access-control-request-method": "POST"},
    )

    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
