"""What one load request is, for each kind of load (built in the parent, run in the load process).

Drivers are plain dataclasses so they cross the process boundary by pickling; their network
clients are created in `open`, inside the load process's own event loop.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import aiohttp
import stripe

from simulator.bench.http1 import ConnectionPool, encode_headers
from simulator.toolkit.events import event_body, event_envelope
from simulator.toolkit.graphql import bearer_headers, graphql_payload
from simulator.toolkit.signing import webhook_headers
from simulator.toolkit.versions import STRIPE_MOCK_API_VERSION

OK = 200


class Driver(Protocol):
    async def open(self) -> None: ...

    async def send(self, sequence: int) -> bool:
        """Send request number `sequence`; True when the server did what was asked."""
        ...

    async def close(self) -> None: ...


@dataclass
class HttpDriver:
    """POSTs prepared GraphQL requests in turn; an answer counts only without `errors`."""

    url: str
    requests: tuple[tuple[dict[str, str], bytes], ...]
    _pool: ConnectionPool | None = field(default=None, init=False, repr=False)
    _encoded: list[tuple[bytes, bytes]] = field(default_factory=list, init=False, repr=False)

    async def open(self) -> None:
        self._pool = ConnectionPool(self.url)
        self._encoded = [(encode_headers(headers), body) for headers, body in self.requests]

    async def send(self, sequence: int) -> bool:
        assert self._pool is not None
        headers, body = self._encoded[sequence % len(self._encoded)]
        status, answer = await self._pool.post(headers, body)
        return status == OK and not json.loads(answer).get("errors")

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


def graphql_request(
    query: str, variables: dict[str, Any] | None = None, token: str | None = None
) -> tuple[dict[str, str], bytes]:
    headers = {"content-type": "application/json", **bearer_headers(token)}
    return headers, json.dumps(graphql_payload(query, variables)).encode()


def signed_event(
    event_id: str, event_type: str, data_object: dict[str, Any], secret: str
) -> tuple[dict[str, str], bytes]:
    """A Stripe event as Stripe delivers it: JSON body plus its `Stripe-Signature` header.

    The objects come from stripe-mock, so the envelope carries the API version of its spec.
    """
    event = event_envelope(
        event_id, event_type, data_object, int(time.time()), api_version=STRIPE_MOCK_API_VERSION
    )
    body = event_body(event)
    return webhook_headers(body, secret), body


@dataclass
class WebhookDriver:
    """Signed `event_type` deliveries with distinct ids (`<prefix><sequence>`), cycling objects."""

    url: str
    secret: str
    event_type: str
    event_prefix: str
    objects: tuple[dict[str, Any], ...]
    _pool: ConnectionPool | None = field(default=None, init=False, repr=False)

    async def open(self) -> None:
        self._pool = ConnectionPool(self.url)

    async def send(self, sequence: int) -> bool:
        assert self._pool is not None
        data_object = self.objects[sequence % len(self.objects)]
        headers, body = signed_event(
            f"{self.event_prefix}{sequence}", self.event_type, data_object, self.secret
        )
        status, _ = await self._pool.post(encode_headers(headers), body)
        return status == OK

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


@dataclass
class StripeSdkDriver:
    """The floor of a session mutation: the bare async SDK call the service itself makes, on the
    same HTTP client (aiohttp) with a pool that never makes a call wait for a connection."""

    api_base: str
    api_key: str
    operation: Literal["portal", "checkout"]
    customers: tuple[str, ...]
    price_id: str
    return_url: str
    _http: stripe.AIOHTTPClient | None = field(default=None, init=False, repr=False)
    _client: stripe.StripeClient | None = field(default=None, init=False, repr=False)

    async def open(self) -> None:
        self._http = stripe.AIOHTTPClient(connector=aiohttp.TCPConnector(limit=0))
        self._client = stripe.StripeClient(
            self.api_key,
            base_addresses={"api": self.api_base},
            http_client=self._http,
        )

    async def send(self, sequence: int) -> bool:
        assert self._client is not None
        customer = self.customers[sequence % len(self.customers)]
        sessions: Any
        if self.operation == "portal":
            sessions = self._client.v1.billing_portal.sessions
            params: dict[str, Any] = {"customer": customer, "return_url": self.return_url}
        else:
            sessions = self._client.v1.checkout.sessions
            user = {"user_id": f"bench-user-{sequence % len(self.customers)}"}
            params = {  # what services.checkout sends for a subscription
                "mode": "subscription",
                "line_items": [{"price": self.price_id, "quantity": 1}],
                "success_url": self.return_url,
                "cancel_url": self.return_url,
                "customer": customer,
                "client_reference_id": user["user_id"],
                "metadata": user,
                "allow_promotion_codes": False,
                "subscription_data": {"metadata": user},
            }
        session = await sessions.create_async(params)
        return bool(session.url)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close_async()  # type: ignore[no-untyped-call]
