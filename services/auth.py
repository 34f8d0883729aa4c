"""Bearer-token authentication: who is calling, checked before any service runs for them.

Two kinds of token are accepted, each only with its own kind of key: HMAC tokens signed with the
shared secret (an app that signs its users in itself), and tokens of a hosted sign-in provider,
signed with a key it publishes at its JWKS URL. The algorithm a token names must be on the
allow-list and fit the key it is checked against, so a token signed with HS256 over the text of
a public key, or one that names `none`, never verifies. Expiry and not-before allow a bounded
clock skew between the provider and this service.

A token that verified is kept (by its digest) with the key it verified with: checking a
signature is a large part of a small request's work, and the same token comes with every request
of a session. It passes again without a check while it is unexpired and its key is still the
one published under its key id, so a withdrawn key fails its tokens as soon as the key set is
refreshed, exactly as when every token is checked.

Every claim the services use is bounded here, at the door: a subject or email longer than the
column that stores it, or holding a character a database refuses or a page cannot show as
written, is UNAUTHENTICATED before any query runs. Refusals never repeat the claim or the token,
so neither reaches a log through an error message.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

import jwt
from tortoise import fields

from services.bounded_cache import BoundedCache
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
# Verified tokens kept per instance: a token per active session.
MAX_VERIFIED_TOKENS = 20_000

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
class _Verified:
    """A token that verified: who it names, and with which key (no id: the shared secret)."""

    principal: Principal
    key_id: str | None
    key: str | VerifyingKey


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
    # Wall-clock seconds, as the token's `exp` is.
    now: Callable[[], float] = time.time
    verified: BoundedCache[bytes, _Verified] = field(
        default_factory=lambda: BoundedCache(MAX_VERIFIED_TOKENS, math.inf),
        init=False,
        compare=False,
        repr=False,
    )

    async def verify(self, authorization_header: str | None) -> Principal:
        token = _bearer_token(authorization_header)
        digest = hashlib.sha256(token.encode()).digest()
        known = self.verified.get(digest)
        if known is not None and await self._still_valid(known):
            return known.principal
        key_id, key, algorithm = await self._key_for(token)
        principal = self._principal(self._claims(token, key, algorithm))
        self.verified.put(digest, _Verified(principal, key_id, key))
        return principal

    async def _still_valid(self, known: _Verified) -> bool:
        """Unexpired, and its key still the one in use: expiry is the only claim check time can
        turn (`nbf` and `iat`, once passed, stay passed)."""
        expires_at = known.principal.expires_at
        if expires_at is None or self.now() >= expires_at + CLOCK_SKEW_SECONDS:
            return False
        if known.key_id is None:
            return True
        published = await self.public_keys.get(known.key_id) if self.public_keys else None
        return published is not None and published.key is known.key

    async def _key_for(self, token: str) -> tuple[str | None, str | VerifyingKey, str]:
        """The published key's id (None for the shared secret), the key the token must verify
        with, and its algorithm, all decided by this service: the token's header only chooses
        among the keys and algorithms configured here."""
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
            return None, self.secret, algorithm
        key_id = header.get("kid")
        return key_id, await self._published_key(key_id, algorithm), algorithm

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
