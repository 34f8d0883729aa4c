"""The floors the service is compared with, served on the same stack (starlette, strawberry,
uvicorn, one worker) in their own process: `uvicorn simulator.bench.baseline_app:app`.

`/graphql` answers a hello-world query; `/webhook` reads the whole body and answers 200, which is
what any webhook endpoint must do at least.
"""

from __future__ import annotations

import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

HELLO_QUERY = "query { hello }"


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "world"


async def webhook(request: Request) -> Response:
    await request.body()
    return JSONResponse({"received": True})


app = Starlette(
    routes=[
        Route("/graphql", GraphQL(strawberry.Schema(query=Query), graphql_ide=None)),
        Route("/webhook", webhook, methods=["POST"]),
    ]
)
