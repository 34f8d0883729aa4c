"""The per-request context every resolver receives: services and who is calling."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from services.auth import Principal
from services.users import Account

if TYPE_CHECKING:
    from services.container import Services


@dataclass
class Context:
    request: Request
    response: Response | None
    services: Services
    _principal: Principal | None = field(default=None, init=False)
    _account: Account | None = field(default=None, init=False)

    def principal(self) -> Principal:
        """The verified caller; raises UNAUTHENTICATED. Verified once per request."""
        if self._principal is None:
            header = self.request.headers.get("authorization")
            self._principal = self.services.tokens.verify(header)
        return self._principal

    async def account(self) -> Account:
        """The caller's account, their user created on first authenticated use."""
        if self._account is None:
            self._account = await self.services.api.accounts.ensure(self.principal())
        return self._account

    def require_admin(self) -> Principal:
        principal = self.principal()
        principal.require_admin()
        return principal


Info = StrawberryInfo[Context, None]
