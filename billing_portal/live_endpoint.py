"""The GraphQL endpoint over a WebSocket: graphql-transport-ws as strawberry speaks it, with the
rules of a connection that may stay open for hours.

- A connection is admitted at its `connection_init` when the token in its payload is valid and
  the user holds fewer connections to this instance than `LIVE_CONNECTIONS_PER_USER`; otherwise
  it is closed before the acknowledgement, with 4403 (Forbidden) for the token, as the protocol
  says, and 1013 (Try Again Later) for the limit. A client that sends `subscribe` first is
  closed with 4401 (Unauthorized), and one that sends nothing with 4408, by strawberry.
- While it is open the server sends the protocol's `ping` every `LIVE_PING_SECONDS`, so proxies
  that drop quiet connections keep it and a peer that vanished is noticed by the failed send.
- It is closed with 4403 when its token expires: the client connects again with a fresh one
  (graphql-ws retries a 4403 and asks for `connectionParams` again).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from resolvers.context import Context
from services.errors import ServiceError
from services.live_billing import LiveBilling

if TYPE_CHECKING:
    from billing_portal.graphql_endpoint import BillingGraphQL

logger = logging.getLogger(__name__)

FORBIDDEN = 4403
TRY_AGAIN_LATER = 1013
INTERNAL_ERROR = 1011
TOKEN_EXPIRED = "The token has expired: connect again with a fresh one."


class Refused(Exception):
    """A connection_init that is not admitted: the close code and reason to answer it with."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


async def admit(context: Context, live: LiveBilling) -> None:
    """The connection's caller, verified and within their connection limit, or Refused."""
    try:
        principal = await context.principal()
    except ServiceError as error:
        raise Refused(FORBIDDEN, error.message) from None
    except Exception:
        logger.exception("a live connection could not be verified")
        raise Refused(INTERNAL_ERROR, "Internal server error.") from None
    if principal.expires_at is not None and principal.expires_at <= time.time():
        raise Refused(FORBIDDEN, TOKEN_EXPIRED)  # still within the verifier's clock skew
    if not live.admit(principal.subject):
        limit = live.connections_per_user
        raise Refused(TRY_AGAIN_LATER, f"At most {limit} live connections per user.")


class LiveConnectionHandler(BaseGraphQLTransportWSHandler[Context, None]):
    view: BillingGraphQL

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._admitted: str | None = None
        self._watch: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """Strawberry's, whose `on_ws_connect` hook runs `admit`: the caller holds a connection
        once the hook returned, whether or not the acknowledgement could still be sent."""
        first = not (self.connection_init_received or self.connection_timed_out)
        refused = False
        try:
            await super().handle_connection_init(message)
        except Refused as refusal:
            refused = True
            await self.websocket.close(refusal.code, refusal.reason)
        finally:
            if first and self.connection_init_received and not refused:
                self._admitted = (await self.context.principal()).subject
        if self._admitted is not None and self.connection_acknowledged and self._watch is None:
            self._watch = asyncio.create_task(self._keep(), name="live connection")

    async def _keep(self) -> None:
        """Ping until the token expires, then close."""
        expires_at = (await self.context.principal()).expires_at
        ping_seconds = self.view.ping_seconds
        try:
            while True:
                left = None if expires_at is None else expires_at - time.time()
                if left is not None and left <= 0:
                    await self.websocket.close(FORBIDDEN, TOKEN_EXPIRED)
                    return
                await asyncio.sleep(ping_seconds if left is None else min(ping_seconds, left))
                if left is None or left > ping_seconds:
                    await self.send_message({"type": "ping"})
        except Exception:  # the connection is gone already: its handler is ending too
            logger.debug("live connection watch ended", exc_info=True)

    async def shutdown(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        try:
            await super().shutdown()
        finally:
            if self._admitted is not None:
                self.context.services.live.leave(self._admitted)
                self._admitted = None
