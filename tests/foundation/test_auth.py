"""Bearer tokens signed with the shared secret: only a well-signed, unexpired HS256 token with a
subject. (Tokens of sign-in providers: test_provider_tokens.)"""

from __future__ import annotations

import time

import jwt
import pytest

from services.auth import CLOCK_SKEW_SECONDS, TokenVerifier
from services.errors import ErrorCode, Forbidden, Unauthenticated
from simulator.toolkit.tokens import TokenMinter

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def bearer(claims: dict[str, object], key: str = SECRET, algorithm: str = "HS256") -> str:
    return f"Bearer {jwt.encode(claims, key, algorithm=algorithm)}"


def valid_claims(**extra: object) -> dict[str, object]:
    return {"sub": "user-1", "exp": int(time.time()) + 60, **extra}


# Expired for longer than the clock skew the verifier tolerates.
LONG_AGO = int(time.time()) - CLOCK_SKEW_SECONDS - 60


async def test_a_minted_token_verifies_with_its_claims():
    verifier = TokenVerifier(SECRET)

    token = TokenMinter(SECRET).mint("user-1", email="a@example.com")

    principal = await verifier.verify(f"Bearer {token}")

    assert (principal.subject, principal.email, principal.is_admin) == (
        "user-1",
        "a@example.com",
        False,
    )


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer not-a-jwt",
        bearer(valid_claims(), key="another-secret-that-is-long-enough-for-hs256"),
        bearer({"sub": "user-1", "exp": LONG_AGO}),
        bearer({"sub": "user-1"}),
        bearer({"exp": int(time.time()) + 60}),
        bearer(valid_claims(sub="")),
        f"Bearer {jwt.encode(valid_claims(), '', algorithm='none')}",
    ],
    ids=[
        "missing",
        "empty",
        "basic-scheme",
        "empty-token",
        "malformed",
        "wrong-key",
        "expired",
        "no-exp",
        "no-sub",
        "blank-sub",
        "alg-none",
    ],
)
async def test_an_invalid_token_is_unauthenticated(header):
    with pytest.raises(Unauthenticated) as refusal:
        await TokenVerifier(SECRET).verify(header)

    assert refusal.value.code is ErrorCode.UNAUTHENTICATED


async def test_a_token_for_another_audience_is_unauthenticated():
    verifier = TokenVerifier(SECRET, audience="billing")

    with pytest.raises(Unauthenticated):
        await verifier.verify(bearer(valid_claims(aud="other")))


async def test_a_token_from_another_issuer_is_unauthenticated():
    verifier = TokenVerifier(SECRET, issuer="https://auth.example.com")

    with pytest.raises(Unauthenticated):
        await verifier.verify(bearer(valid_claims(iss="https://other.example.com")))


async def test_minted_tokens_carry_the_configured_audience_and_issuer():
    verifier = TokenVerifier(SECRET, audience="billing", issuer="https://auth.example.com")
    minter = TokenMinter(SECRET, audience="billing", issuer="https://auth.example.com")

    assert (await verifier.verify(f"Bearer {minter.mint('user-1')}")).subject == "user-1"


async def test_only_the_admin_role_passes_the_admin_check():
    verifier = TokenVerifier(SECRET)

    minter = TokenMinter(SECRET)

    (await verifier.verify(f"Bearer {minter.mint('root', admin=True)}")).require_admin()
    with pytest.raises(Forbidden):
        (await verifier.verify(f"Bearer {minter.mint('user-1')}")).require_admin()


async def test_an_expiry_within_the_clock_skew_is_tolerated():
    just_expired = int(time.time()) - CLOCK_SKEW_SECONDS // 2

    principal = await TokenVerifier(SECRET).verify(bearer({"sub": "user-1", "exp": just_expired}))

    assert principal.subject == "user-1"


async def test_an_hs256_token_is_refused_when_no_secret_is_configured():
    with pytest.raises(Unauthenticated):
        await TokenVerifier(secret=None).verify(bearer(valid_claims()))
