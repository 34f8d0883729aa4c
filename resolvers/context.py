"""The per-request context every resolver receives: the services and who is calling."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from services.auth import Principal
from services.container import Services
from services.users import BillingUser


@dataclass
class Context:
    request: Request
    response: Response | None
    services: Services
    _principal: Principal | None = field(default=None, init=False)
    _user: BillingUser | None = field(default=None, init=False)

    def principal(self) -> Principal:
        """The verified caller; raises UNAUTHENTICATED. Verified once per request."""
        if self._principal is None:
            header = self.request.headers.get("authorization")
            self._principal = self.services.tokens.verify(header)
        return self._principal

    async def user(self) -> BillingUser:
        """The caller as a billing user, created on their first authenticated request."""
        if self._user is None:
            self._user = await self.services.users.ensure(self.principal())
        return self._user

    def require_admin(self) -> Principal:
        principal = self.principal()
        principal.require_admin()
        return principal
