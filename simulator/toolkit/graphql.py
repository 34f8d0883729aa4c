"""The GraphQL client every outside caller of the service uses: simulator, bench and tests.

A call that is answered with errors raises `ServiceRefused` naming each error's
`extensions.code`; one that gets no HTTP answer at all raises `ServiceUnreachable` naming the
exception that replaced it. Both messages say what was expected, so a failed journey reads as a
sentence in the simulator's report.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from simulator.toolkit.connections import no_answer

GRAPHQL_PATH = "/graphql"


class ServiceRefused(Exception):
    """The service answered a GraphQL call with errors (or not with GraphQL at all)."""


class ServiceUnreachable(Exception):
    """A GraphQL call got no HTTP answer at all (connection dropped, timed out)."""


def graphql_payload(
    document: str, variables: dict[str, Any] | None = None, operation: str | None = None
) -> dict[str, Any]:
    payload: dict[str, Any] = {"query": document, "variables": variables or {}}
    if operation is not None:
        payload["operationName"] = operation
    return payload


def bearer_headers(token: str | None) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"} if token else {}


def error_codes(body: dict[str, Any]) -> list[str | None]:
    """Each error's `extensions.code`, in order."""
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]


class GraphQLClient:
    """POSTs to the service's GraphQL endpoint as one caller (with their bearer token, if any);
    `situation` adds the headers that describe the caller at the moment of each request."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str = GRAPHQL_PATH,
        token: str | None = None,
        *,
        situation: Callable[[], Mapping[str, str]] | None = None,
    ) -> None:
        self._http = http
        self._url = url
        self._headers = bearer_headers(token)
        self._situation = situation

    async def post(
        self,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        operation: str | None = None,
    ) -> httpx.Response:
        """The HTTP answer whatever it says (tests read errors from it)."""
        payload = graphql_payload(document, variables, operation)
        try:
            headers = self._headers
            if self._situation is not None:
                headers = {**headers, **self._situation()}
            return await self._http.post(self._url, json=payload, headers=headers)
        except httpx.RequestError as error:
            raise ServiceUnreachable(
                f"{operation or 'GraphQL'}: {no_answer(error)}, expected a GraphQL answer"
            ) from error

    async def data(
        self, operation: str, document: str, variables: dict[str, Any] | None = None
    ) -> Any:
        """The `data` of `operation` (the document's operation name, which messages quote)."""
        response = await self.post(document, variables, operation=operation)
        try:
            body = response.json()
        except ValueError:
            raise ServiceRefused(
                f"{operation}: HTTP {response.status_code} without a JSON body, "
                "expected a GraphQL answer"
            ) from None
        errors = body.get("errors") if isinstance(body, dict) else None
        if response.status_code != httpx.codes.OK or errors:
            described = "; ".join(
                f"{error.get('extensions', {}).get('code')}: {error.get('message')}"
                for error in errors or []
            )
            raise ServiceRefused(
                f"{operation} answered {described or f'HTTP {response.status_code}'}, "
                "expected its data"
            )
        return body["data"]
