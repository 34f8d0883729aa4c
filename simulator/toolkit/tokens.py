"""Bearer tokens as the host app signs them for its users (HS256 JWTs).

Minted with PyJWT directly rather than with the service's code: the simulator, the bench and the
tests must work against any deployment that shares the secret, exactly like the host app that
signs users in, and a test of the service's verifier should not be checked against itself.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
ADMIN_ROLE = "admin"
TOKEN_TTL_SECONDS = 3_600


@dataclass(frozen=True, slots=True)
class TokenMinter:
    """Signs tokens with one secret, stamping the audience and issuer the service checks."""

    secret: str
    audience: str | None = None
    issuer: str | None = None

    def mint(
        self,
        subject: str,
        *,
        email: str | None = None,
        admin: bool = False,
        ttl_seconds: int = TOKEN_TTL_SECONDS,
    ) -> str:
        now = int(time.time())
        claims: dict[str, object] = {"sub": subject, "iat": now, "exp": now + ttl_seconds}
        if email is not None:
            claims["email"] = email
        if admin:
            claims["role"] = ADMIN_ROLE
        if self.audience is not None:
            claims["aud"] = self.audience
        if self.issuer is not None:
            claims["iss"] = self.issuer
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)
