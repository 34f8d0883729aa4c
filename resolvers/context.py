"""The per-request context every resolver receives: the services and who is calling.

Over HTTP the caller's token is in the Authorization header. A browser cannot set headers on a
WebSocket, so there it comes in the payload of the connection's `connection_init` message, as
`{"Authorization": "Bearer <token>"}` or `{"token": "<token>"}`; the context of a WebSocket lasts
as long as its connection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import HTTPConnection
from starlette.responses import Response

from services.auth import Principal
from services.container import Services
from services.users import BillingUser


@dataclass
class Context:
    request: HTTPConnection
    response: Response | None
    services: Services
    # A WebSocket's `connection_init` payload (strawberry sets it); None over HTTP.
    connection_params: dict[str, object] | None = None
    # The operation the request runs, named once its document validated (metrics count requests
    # by it); None before that, and for an anonymous operation.
    operation_name: str | None = field(default=None, init=False)
    _principal: Principal | None = field(default=None, init=False)
    _user: BillingUser | None = field(default=None, init=False)

    async def principal(self) -> Principal:
        """The verified caller; raises UNAUTHENTICATED. Verified once per request."""
        if self._principal is None:
            self._principal = await self.services.tokens.verify(self._authorization())
        return self._principal

    async def user(self) -> BillingUser:
        """The caller as a billing user, created on their first authenticated request."""
        if self._user is None:
            self._user = await self.services.users.ensure(await self.principal())
        return self._user

    def update_user(self, user: BillingUser) -> None:
        """The caller as read again since (a live subscription re-reads them at each change)."""
        self._user = user

    def _authorization(self) -> str | None:
        if self.connection_params is None:
            return self.request.headers.get("authorization")
        return connection_authorization(self.connection_params)

    async def require_admin(self) -> Principal:
        principal = await self.principal()
        principal.require_admin()
        return principal


def connection_authorization(params: dict[str, object]) -> str | None:
    """The Authorization value a `connection_init` payload carries (see the module)."""
    for name, value in params.items():
        if name.lower() == "authorization" and isinstance(value, str):
            return value
    token = params.get("token")
    return f"Bearer {token}" if isinstance(token, str) else None
