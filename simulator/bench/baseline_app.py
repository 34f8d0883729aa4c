"""The floors the service is compared with, served on the same stack (starlette, strawberry,
uvicorn, Tortoise, one worker) in their own process: `uvicorn simulator.bench.baseline_app:app`.

`/graphql` answers a hello-world query. `/webhook` is the naive durable webhook endpoint: it
verifies the signature with the stripe SDK, and inserts the raw event into `DATABASE_URL`, one
transaction per request, with the database's default durability (as the service's database
has it); answered 200 only once stored. `/echo` reads the body and answers 200: what any
webhook endpoint costs at least, kept for reference.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import strawberry
import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL
from tortoise import Tortoise, connections, fields
from tortoise.models import Model

HELLO_QUERY = "query { hello }"
TOLERANCE_SECONDS = 300
FLOOR_TABLE = "bench_floor_event"


class FloorEvent(Model):
    """A raw event as the naive endpoint keeps it."""

    id = fields.CharField(max_length=255, primary_key=True)
    payload = fields.TextField()

    class Meta:
        table = FLOOR_TABLE


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


async def webhook(request: Request) -> Response:
    payload = await request.body()
    try:
        stripe.WebhookSignature.verify_header(
            payload,
            request.headers.get("stripe-signature", ""),
            os.environ["STRIPE_WEBHOOK_SECRET"],
            TOLERANCE_SECONDS,
        )
        event_id = json.loads(payload)["id"]
    except (stripe.SignatureVerificationError, ValueError, KeyError, TypeError):
        return JSONResponse({"error": "not a signed Stripe event"}, status_code=400)
    database = connections.get("default")
    await database.execute_query(request.app.state.insert, [event_id, payload.decode()])
    return JSONResponse({"stored": True})


async def echo(request: Request) -> Response:
    await request.body()
    return JSONResponse({"received": True})


def insert_statement(dialect: str) -> str:
    """One plain statement, in autocommit: one transaction per event, nothing around it."""
    markers = "?, ?" if dialect == "sqlite" else "$1, $2"
    return f'INSERT INTO "{FLOOR_TABLE}" ("id", "payload") VALUES ({markers})'  # noqa: S608


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    await Tortoise.init(
        db_url=os.environ["DATABASE_URL"],
        modules={"floor": [__name__]},
        _enable_global_fallback=True,
    )
    await Tortoise.generate_schemas(safe=True)
    app.state.insert = insert_statement(connections.get("default").capabilities.dialect)
    try:
        yield
    finally:
        await Tortoise.close_connections()


app = Starlette(
    routes=[
        Route("/graphql", GraphQL(strawberry.Schema(query=Query), graphql_ide=None)),
        Route("/webhook", webhook, methods=["POST"]),
        Route("/echo", echo, methods=["POST"]),
    ],
    lifespan=lifespan,
)
