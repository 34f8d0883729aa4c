"""Bearer-token authentication: who is calling, checked before any service runs for them.

Two kinds of token are accepted, each only with its own kind of key: HMAC tokens signed with the
shared secret (an app that signs its users in itself), and tokens of a hosted sign-in provider,
signed with a key it publishes at its JWKS URL. The algorithm a token names must be on the
allow-list and fit the key it is checked against, so a token signed with HS256 over the text of
a public key, or one that names `none`, never verifies. Expiry and not-before allow a bounded
clock skew between the provider and this service.

Every claim the services use is bounded here, at the door: a subject or email longer than the
column that stores it, or holding a character a database refuses or a page cannot show as
written, is UNAUTHENTICATED before any query runs. Refusals never repeat the claim or the token,
so neither reaches a log through an error message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

import jwt
from tortoise import fields

from services.claims import DEFAULT_EMAIL_CLAIM, ROLE_IS_ADMIN, AdminClaim, claim_at
from services.errors import Forbidden, Unauthenticated
from services.jwt_algorithms import (
    DEFAULT_HMAC_ALGORITHMS,
    DEFAULT_PUBLIC_KEY_ALGORITHMS,
    HMAC_ALGORITHMS,
)
from services.models import User
from services.signing_keys import SigningKeys, VerifyingKey
from services.text import unsafe_character

# Far above any real token (identity providers' tokens with group lists stay under 4 KiB), far
# below what would make decoding one a cost worth attacking.
MAX_TOKEN_LENGTH = 8192
# A role is compared, never stored: the longest role anyone needs.
MAX_ROLE_LENGTH = 64
# How far the provider's clock may run ahead of or behind this one for `exp`, `nbf` and `iat`.
CLOCK_SKEW_SECONDS = 30

INVALID_TOKEN = "The token is not valid."
ALGORITHM_NOT_ACCEPTED = "The token's signing algorithm is not accepted."


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
    is_admin: bool = False
    # The token's `exp` (unix seconds): a live connection opened with it is closed then.
    expires_at: int | None = None

    def require_admin(self) -> None:
        if not self.is_admin:
            raise Forbidden("This operation needs the admin role.")


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    """Checks bearer tokens (see the module). `secret` verifies HMAC tokens, `public_keys` the
    provider's; either may be absent, and `algorithms` is the allow-list for both."""

    secret: str | None = None
    audience: str | None = None
    issuer: str | None = None
    public_keys: SigningKeys | None = None
    algorithms: frozenset[str] = frozenset(DEFAULT_HMAC_ALGORITHMS + DEFAULT_PUBLIC_KEY_ALGORITHMS)
    email_claim: str = DEFAULT_EMAIL_CLAIM
    admin_claim: AdminClaim = ROLE_IS_ADMIN

    async def verify(self, authorization_header: str | None) -> Principal:
        token = _bearer_token(authorization_header)
        key, algorithm = await self._key_for(token)
        return self._principal(self._claims(token, key, algorithm))

    async def _key_for(self, token: str) -> tuple[str | VerifyingKey, str]:
        """The key the token must verify with, and its algorithm, both decided by this service:
        the token's header only chooses among the keys and algorithms configured here."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthenticated(INVALID_TOKEN) from None
        algorithm = header.get("alg")
        if not isinstance(algorithm, str) or algorithm not in self.algorithms:
            raise Unauthenticated(ALGORITHM_NOT_ACCEPTED)
        if algorithm in HMAC_ALGORITHMS:
            if self.secret is None:
                raise Unauthenticated(ALGORITHM_NOT_ACCEPTED)
            return self.secret, algorithm
        return await self._published_key(header.get("kid"), algorithm), algorithm

    async def _published_key(self, key_id: object, algorithm: str) -> VerifyingKey:
        if self.public_keys is None:
            raise Unauthenticated(ALGORITHM_NOT_ACCEPTED)
        if not isinstance(key_id, str) or not key_id:
            raise Unauthenticated("The token does not name its signing key (kid).")
        published = await self.public_keys.get(key_id)
        if published is None:
            raise Unauthenticated(
                "The token's signing key is not one the sign-in provider publishes."
            )
        if algorithm not in published.algorithms:
            raise Unauthenticated("The token's algorithm does not fit its signing key.")
        return published.key

    def _claims(self, token: str, key: str | VerifyingKey, algorithm: str) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                audience=self.audience,
                issuer=self.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "sub"], "verify_aud": self.audience is not None},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("The token has expired; sign in again.") from None
        except jwt.ImmatureSignatureError:
            raise Unauthenticated("The token is not valid yet.") from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated("The token is meant for another audience.") from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("The token comes from another issuer.") from None
        except jwt.PyJWTError:
            raise Unauthenticated(INVALID_TOKEN) from None
        return claims

    def _principal(self, claims: Mapping[str, object]) -> Principal:
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject.strip():
            raise Unauthenticated("The token has no subject.")
        email = claim_at(claims, self.email_claim)
        email = email if isinstance(email, str) else None
        admin_values = self.admin_claim.values_in(claims)
        _check_bounds(
            [
                ("sub", subject, MAX_SUBJECT_LENGTH),
                (self.email_claim, email, MAX_EMAIL_LENGTH),
                *((self.admin_claim.path, value, MAX_ROLE_LENGTH) for value in admin_values),
            ]
        )
        expires_at = claims.get("exp")
        return Principal(
            subject=subject,
            email=email,
            is_admin=self.admin_claim.holds(admin_values),
            expires_at=int(expires_at) if isinstance(expires_at, int | float) else None,
        )


def _bearer_token(authorization_header: str | None) -> str:
    if not authorization_header:
        raise Unauthenticated("Sign in first: no bearer token was sent.")
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("The Authorization header must be 'Bearer <token>'.")
    if len(token) > MAX_TOKEN_LENGTH:
        raise Unauthenticated(f"The token is longer than {MAX_TOKEN_LENGTH} characters.")
    return token.strip()


def _check_bounds(claims: list[tuple[str, str | None, int]]) -> None:
    """Each (claim name, value, longest allowed) within its bound and free of unsafe characters;
    the refusal names the claim, never its value."""
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
