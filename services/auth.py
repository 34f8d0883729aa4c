"""Bearer-token authentication: who is calling, checked before any service runs for them."""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

from services.errors import Forbidden, Unauthenticated

ALGORITHM = "HS256"
ADMIN_ROLE = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """The verified claims of a bearer token."""

    subject: str
    email: str | None
    role: str | None

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN_ROLE

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("This operation needs the admin role.")


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    secret: str
    audience: str | None = None
    issuer: str | None = None

    def verify(self, authorization_header: str | None) -> Principal:
        token = _bearer_token(authorization_header)
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],  # a fixed list: `alg: none` and RS/HS confusion fail here
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The token has expired; sign in again.") from None
        except jwt.PyJWTError:
            raise Unauthenticated("The token is not valid.") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise Unauthenticated("The token has no subject.")
        email = claims.get("email")
        role = claims.get("role")
        return Principal(
            subject=subject,
            email=email if isinstance(email, str) else None,
            role=role if isinstance(role, str) else None,
        )

    def mint(
        self,
        subject: str,
        *,
        email: str | None = None,
        admin: bool = False,
        ttl_seconds: int = 3600,
    ) -> str:
        """Issue a token (dev/test tooling and the simulator's customers use this)."""
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


def _bearer_token(authorization_header: str | None) -> str:
    if not authorization_header:
        raise Unauthenticated("Sign in first: no bearer token was sent.")
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    return token.strip()
