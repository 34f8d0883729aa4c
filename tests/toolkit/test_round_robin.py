"""Several instances behind one address: the simulator's client sends each request to the next."""

from __future__ import annotations

from contextlib import AsyncExitStack

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from simulator.toolkit.connections import service_client
from simulator.toolkit.loopback import serving


def instance(name: str) -> Starlette:
    async def who(request: Request) -> PlainTextResponse:
        return PlainTextResponse(f"{name} {request.url.path} {request.headers['host']}")

    return Starlette(routes=[Route("/{path:path}", who, methods=["GET", "POST"])])


async def test_requests_to_the_service_go_to_each_instance_in_turn():
    async with AsyncExitStack() as stack:
        urls = [await stack.enter_async_context(serving(instance(n), n)) for n in ("a", "b")]
        http = await stack.enter_async_context(service_client(4, urls))

        answers = [(await http.post(f"{urls[0]}/graphql")).text for _ in range(4)]

    hosts = [url.removeprefix("http://") for url in urls]
    assert answers == [f"a /graphql {hosts[0]}", f"b /graphql {hosts[1]}"] * 2


async def test_requests_elsewhere_are_not_spread():
    async with AsyncExitStack() as stack:
        urls = [await stack.enter_async_context(serving(instance(n), n)) for n in ("a", "b", "c")]
        http = await stack.enter_async_context(service_client(4, urls[:2]))

        answers = [(await http.get(f"{urls[2]}/x")).text.split()[0] for _ in range(3)]

    assert answers == ["c", "c", "c"]
