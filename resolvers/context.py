"""The per-request context every resolver receives: services, who is calling, and loaders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from strawberry.dataloader import DataLoader
from strawberry.types import Info as StrawberryInfo

from services.auth import Principal
from services.users import Account, ensure_account

if TYPE_CHECKING:
    from services.container import Services
    from services.plans import PlanView


@dataclass
class Context:
    request: Request
    response: Response | None
    services: Services
    # Per request, so a list of subscriptions costs one catalog query, not one per row.
    plans: DataLoader[str, PlanView | None] = field(init=False)
    _principal: Principal | None = field(default=None, init=False)
    _account: Account | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.plans = DataLoader(load_fn=self.services.api.catalog.by_price_ids)

    def principal(self) -> Principal:
        """The verified caller; raises UNAUTHENTICATED. Verified once per request."""
        if self._principal is None:
            header = self.request.headers.get("authorization")
            self._principal = self.services.tokens.verify(header)
        return self._principal

    async def account(self) -> Account:
        """The caller's account, their user created on first authenticated use."""
        if self._account is None:
            self._account = await ensure_account(self.principal())
        return self._account

    def require_admin(self) -> Principal:
        principal = self.principal()
        principal.require_admin()
        return principal


Info = StrawberryInfo[Context, None]
