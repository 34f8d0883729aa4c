"""Serving an app in this process: a port reserved for a server stays its own until it listens."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from simulator.toolkit.loopback import loopback_socket, serving, url_of
from simulator.toolkit.servers import LOOPBACK


def hello() -> Starlette:
    return Starlette(routes=[Route("/", lambda _: PlainTextResponse("hello"))])


def test_no_other_server_can_bind_a_port_reserved_for_a_server():
    with loopback_socket() as reserved, socket.socket() as intruder:
        intruder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds

        with pytest.raises(OSError, match="in use"):
            intruder.bind((LOOPBACK, reserved.getsockname()[1]))


async def test_an_app_is_served_on_the_socket_reserved_for_it():
    reserved = loopback_socket()
    reserved_url = url_of(reserved)
    async with serving(hello(), "hello", bound=reserved) as url, httpx.AsyncClient() as http:
        answer = await http.get(url)

    assert url == reserved_url
    assert answer.text == "hello"
    assert reserved.fileno() == -1  # closed with the server
