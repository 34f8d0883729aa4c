"""The GraphQL endpoint over HTTP: strawberry's ASGI view, strict about what a request is, and
answering every refusal in GraphQL.

A request is one JSON object (`query`, and optionally `variables`, `operationName`,
`extensions`) POSTed as `application/json` in UTF-8. Strawberry's view answers anything else
with a plain-text 400 (and fails outright on JSON that is not an object); here each refusal is a
body of `errors` with a contract code, under the status that says why:

- 400 BAD_USER_INPUT: the body is not one GraphQL request (not UTF-8 JSON, not an object, a
  batch, a persisted-query hash without its query, a member of the wrong type, a key given twice,
  NaN or Infinity, nesting past what the JSON parser follows);
- 405 BAD_USER_INPUT, `Allow: POST`: any other method. GET serves only GraphiQL, outside prod:
  an operation over GET could be started by any page a signed-in browser visits;
- 413 BAD_USER_INPUT: a body over the limit;
- 415 BAD_USER_INPUT: a body declared as anything but JSON in UTF-8, which also keeps out the
  bodies a cross-site page can post without a CORS preflight;
- 404 NOT_FOUND: GraphiQL asked for in prod.

What the engine refuses (syntax, validation, the choice of the operation) stays a GraphQL answer
with status 200, as the schema's errors always are. GraphiQL is strawberry's page, loading its
scripts from this service when they are installed (billing_portal.graphiql_assets).

The hooks are strawberry's: `parse_http_body` decides what a request is, and `__call__` is where
strawberry turns the `HTTPException`s it and this view raise into plain text, so that is where
they become GraphQL instead, and where the body is bounded while it is received. The limit is
enforced here rather than by Starlette's body-limit middleware, which answers in plain text and
replaces any answer to a request whose declared length is over the limit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.execution import SubscriptionExecutionResult
from strawberry.types.unset import UnsetType

from billing_portal.graphiql_assets import DEFAULT_ASSETS_DIR, graphiql_page
from billing_portal.live_endpoint import LiveConnectionHandler, admit
from resolvers.context import Context
from schema.root import BillingSchema
from services.container import Services
from services.errors import ErrorCode

ONLY_POST = "Send GraphQL operations with POST."
# A WebSocket must say who it is this soon after it opens (strawberry closes it with 4408).
CONNECTION_INIT_WAIT = timedelta(seconds=10)
# One `billingChanged` is all an app needs; a few more for pages that subscribe per component.
MAX_SUBSCRIPTIONS_PER_CONNECTION = 5
# The outcome of a request answered without errors, beside the error codes.
ANSWERED = "OK"
ONLY_JSON = "Send the request as application/json in UTF-8."
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]*")
_UTF8 = frozenset({"utf-8", "utf8"})


def _bad(message: str) -> HTTPException:
    return HTTPException(400, message)


def _within(limit: int, receive: Receive) -> Receive:
    """`receive`, refusing a body once more than `limit` bytes of it arrive, however it is sent."""
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise HTTPException(413, f"The body is over {limit} bytes.")
        return message

    return receive_within_limit


def _require_json_in_utf8(content_type: str | None) -> None:
    media_type, *parameters = (content_type or "").split(";")
    if media_type.strip().lower() != "application/json":
        raise HTTPException(415, ONLY_JSON)
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower().startswith("charset") and charset not in _UTF8:
            raise HTTPException(415, ONLY_JSON)


def _refuse_constant(_: str) -> Any:
    raise _bad("NaN and Infinity are not JSON numbers.")


def _object_without_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice is read differently by different parsers: refused, not guessed."""
    members = dict(pairs)
    if len(members) != len(pairs):
        raise _bad("A key is given twice in one JSON object.")
    return members


def _decoded(body: bytes) -> object:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _bad("The body is not valid UTF-8.") from None
    if not text.strip():
        raise _bad("The body is empty: send a JSON object with a query.")
    try:
        return json.loads(
            text,
            object_pairs_hook=_object_without_repeated_keys,
            parse_constant=_refuse_constant,
        )
    except RecursionError:
        raise _bad("The body nests values too deeply.") from None
    except ValueError:
        raise _bad("The body is not valid JSON.") from None


def _graphql_request(payload: object) -> GraphQLRequestData:
    if isinstance(payload, list):
        raise _bad("Batched requests are not supported: send one operation per request.")
    if not isinstance(payload, dict):
        raise _bad("The body must be a JSON object with a query.")
    query = payload.get("query")
    variables = payload.get("variables")
    operation_name = payload.get("operationName")
    extensions = payload.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise _bad("extensions must be a JSON object.")
    if query is None or query == "":
        if extensions and "persistedQuery" in extensions:
            raise _bad("Persisted queries are not supported: send the query text.")
        raise _bad("The request has no query.")
    if not isinstance(query, str):
        raise _bad("query must be a string.")
    if variables is not None and not isinstance(variables, dict):
        raise _bad("variables must be a JSON object.")
    if operation_name is not None and not (
        isinstance(operation_name, str) and _OPERATION_NAME.fullmatch(operation_name)
    ):
        raise _bad("operationName must be the name of an operation of the document.")
    return GraphQLRequestData(
        query=query, variables=variables, operation_name=operation_name, extensions=extensions
    )


def _outcome_code(result: ExecutionResult) -> str:
    """`OK`, or the code of the first error (every error carries one: schema.errors)."""
    if not result.errors:
        return ANSWERED
    code = (result.errors[0].extensions or {}).get("code")
    return str(code) if code is not None else ErrorCode.INTERNAL_SERVER_ERROR


def _refusal_code(exception: HTTPException) -> ErrorCode:
    return ErrorCode.NOT_FOUND if exception.status_code == 404 else ErrorCode.BAD_USER_INPUT


def _refusal(exception: HTTPException) -> Response:
    status = exception.status_code
    code = _refusal_code(exception)
    message = ONLY_POST if status == 405 else exception.reason
    error = {"message": message, "extensions": {"code": code.value}}
    headers = {"allow": "POST"} if status == 405 else None
    return JSONResponse({"errors": [error]}, status_code=status, headers=headers)


class BillingGraphQL(GraphQL[Context, None]):
    """Over HTTP (this module), and for subscriptions over a WebSocket
    (billing_portal.live_endpoint), whose handshakes from pages on other origins than
    `allowed_origins` are refused."""

    graphql_transport_ws_handler_class = LiveConnectionHandler

    def __init__(
        self,
        services: Services,
        *,
        is_prod: bool,
        max_body_bytes: int,
        ping_seconds: float,
        allowed_origins: Sequence[str] = (),
        graphiql_assets: Path = DEFAULT_ASSETS_DIR,
    ) -> None:
        super().__init__(
            BillingSchema(private=is_prod),
            graphql_ide=None if is_prod else "graphiql",
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=CONNECTION_INIT_WAIT,
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS_PER_CONNECTION,
            allowed_origins=allowed_origins,
        )
        self.services = services
        self.ping_seconds = ping_seconds
        self.max_body_bytes = max_body_bytes
        # Built once (served only outside prod): assets installed later count after a restart.
        self.graphiql_html = graphiql_page(graphiql_assets)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope, _within(self.max_body_bytes, receive)))
        except HTTPException as exception:
            response = _refusal(exception)
            self.services.metrics.graphql_request(None, _refusal_code(exception))
        await response(scope, receive, send)

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        """Counts each operation run over HTTP by the name the schema validated
        (schema.operation_names) and the code of its first error."""
        result = await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )
        if isinstance(result, ExecutionResult):  # batches and streams are refused before this
            self.services.metrics.graphql_request(context.operation_name, _outcome_code(result))
        return result

    async def render_graphql_ide(self, request: Request) -> Response:
        return HTMLResponse(self.graphiql_html)

    async def get_context(self, request: Any, response: Any) -> Context:
        if isinstance(request, WebSocket):
            return Context(request=request, response=None, services=self.services)
        return Context(request=request, response=response, services=self.services)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        await admit(context, self.services.live)
        return UnsetType()  # strawberry's UNSET: acknowledged without a payload

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method != "POST":
            raise HTTPException(405, ONLY_POST)
        _require_json_in_utf8(request.content_type)
        return _graphql_request(_decoded(await request.get_body()))
