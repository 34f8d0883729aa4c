"""Bearer-token authentication: who is calling, checked before any service runs for them.

Every claim the services use is bounded here, at the door: a subject or email longer than the
column that stores it, or holding a character a database refuses or a page cannot show as
written, is UNAUTHENTICATED before any query runs. Refusals never repeat the claim or the token,
so neither reaches a log through an error message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import jwt
from tortoise import fields

from services.errors import Forbidden, Unauthenticated
from services.models import User
from services.text import unsafe_character

ALGORITHM = "HS256"
ADMIN_ROLE = "admin"
# Far above any real token (identity providers' tokens with group lists stay under 4 KiB), far
# below what would make decoding one a cost worth attacking.
MAX_TOKEN_LENGTH = 8192
# A role is compared, never stored: the longest role anyone needs.
MAX_ROLE_LENGTH = 64


def _column_width(name: str) -> int:
    field = cast("fields.CharField[str]", User._meta.fields_map[name])
    return field.max_length


MAX_SUBJECT_LENGTH = _column_width("external_id")
MAX_EMAIL_LENGTH = _column_width("email")


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
        principal = Principal(
            subject=subject,
            email=email if isinstance(email, str) else None,
            role=role if isinstance(role, str) else None,
        )
        _check_bounds(principal)
        return principal


def _bearer_token(authorization_header: str | None) -> str:
    if not authorization_header:
        raise Unauthenticated("Sign in first: no bearer token was sent.")
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated(f"The token is longer than {MAX_TOKEN_LENGTH} characters.")
    return token.strip()


def _check_bounds(principal: Principal) -> None:
    claims = (
        ("sub", principal.subject, MAX_SUBJECT_LENGTH),
        ("email", principal.email, MAX_EMAIL_LENGTH),
        ("role", principal.role, MAX_ROLE_LENGTH),
    )
    for name, value, max_length in claims:
        if value is None:
            continue
        if len(value) > max_length:
            raise Unauthenticated(
                f"The token's {name} claim is longer than {max_length} characters."
            )
        problem = unsafe_character(value)
        if problem is not None:
            raise Unauthenticated(f"The token's {name} claim contains {problem}.")
