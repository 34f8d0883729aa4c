"""Bearer tokens the simulated host app hands its users (HS256, as the contract's section 3).

The simulator mints its own rather than importing the service's code: it must work against any
deployment that shares the secret, exactly like the host app that signs users in.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

TOKEN_TTL_SECONDS = 3_600


@dataclass(frozen=True, slots=True)
class TokenMinter:
    secret: str
    audience: str | None = None
    issuer: str | None = None

    def mint(self, subject: str, *, email: str | None = None, admin: bool = False) -> str:
        now = int(time.time())
        claims: dict[str, object] = {"sub": subject, "iat": now, "exp": now + TOKEN_TTL_SECONDS}
        if email is not None:
            claims["email"] = email
        if admin:
            claims["role"] = "admin"
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        return jwt.encode(claims, self.secret, algorithm="HS256")
