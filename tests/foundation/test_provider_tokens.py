"""Tokens of a hosted sign-in provider: verified with the keys it publishes at its JWKS URL.

The provider is a local one (simulator.toolkit.identity_provider): keys generated for the test
session, the JWKS served over HTTP on a loopback port, counting the requests it answers. The
key cache runs on a clock the test moves, so cooldowns and ages pass at once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, Literal

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from billing_portal.logging_setup import JsonFormatter
from services.auth import CLOCK_SKEW_SECONDS, MAX_TOKEN_LENGTH, TokenVerifier
from services.claims import AdminClaim
from services.errors import ErrorCode, Unauthenticated
from services.signing_keys import MAX_KEY_SET_AGE_SECONDS, REFRESH_COOLDOWN_SECONDS, SigningKeys
from simulator.toolkit.identity_provider import IdentityProvider, ProviderKey, generate_key
from tests.foundation.conftest import ProviderKeys

ISSUER = "https://provider.example.com/"
AUDIENCE = "billing-portal"
SECRET = "a-test-secret-that-is-long-enough-for-hs256"
PUBLIC_KEY_ALGORITHMS = frozenset({"RS256", "ES256", "EdDSA"})
# Beyond the clock skew the verifier tolerates.
WELL_BEYOND_SKEW = CLOCK_SKEW_SECONDS + 60
# A JWKS request reaches the local provider in milliseconds: only a hang takes this long.
HANG_GUARD_SECONDS = 30.0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
async def served_provider() -> AsyncIterator[tuple[IdentityProvider, str]]:
    """One provider served for the module; `provider` gives each test a fresh state of it."""
    idp = IdentityProvider(issuer=ISSUER, audience=AUDIENCE)
    async with idp.serve() as url:
        yield idp, url


@pytest.fixture
def provider(served_provider, keys) -> IdentityProvider:
    idp: IdentityProvider = served_provider[0]
    idp.published.clear()
    idp.publish(keys.rsa, keys.ec, keys.ed)
    idp.jwks_requests, idp.failing, idp.held = 0, False, None
    return idp


@pytest.fixture
def jwks_url(served_provider, provider) -> str:
    url: str = served_provider[1]
    return url


@pytest.fixture
def clock() -> Clock:
    return Clock()


VerifierFactory = Callable[..., TokenVerifier]


@pytest.fixture
def verifier_for(jwks_url, clock) -> VerifierFactory:
    """A verifier of the provider's tokens; keyword arguments replace its settings."""

    def build(**overrides: Any) -> TokenVerifier:
        verifier = TokenVerifier(
            audience=AUDIENCE,
            issuer=ISSUER,
            public_keys=SigningKeys(jwks_url, clock=clock),
            algorithms=PUBLIC_KEY_ALGORITHMS,
        )
        return dataclasses.replace(verifier, **overrides)

    return build


@pytest.fixture
def verifier(verifier_for: VerifierFactory) -> TokenVerifier:
    return verifier_for()


async def verified_subject(verifier: TokenVerifier, token: str) -> str:
    return (await verifier.verify(f"Bearer {token}")).subject


async def refused(verifier: TokenVerifier, token: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as refusal:
        await verifier.verify(f"Bearer {token}")
    assert refusal.value.code is ErrorCode.UNAUTHENTICATED
    return refusal.value


def shared_secret_token(subject: str) -> str:
    claims = {"sub": subject, "exp": int(time.time()) + 60, "aud": AUDIENCE, "iss": ISSUER}
    return jwt.encode(claims, SECRET, algorithm="HS256")


async def background_refresh(provider: IdentityProvider, requests: int) -> None:
    """Waits until the key set refreshed behind the tokens verified so far is in place (the
    refresh ends within the fetch timeout), and checks it made the provider's `requests`-th
    JWKS request."""
    refreshing = SigningKeys._replace_keys.__qualname__
    await asyncio.gather(
        *(t for t in asyncio.all_tasks() if getattr(t.get_coro(), "__qualname__", 0) == refreshing)
    )
    assert provider.jwks_requests == requests


class AnswersHeld(asyncio.Event):
    """The provider's `held`: its JWKS answers wait until this is set, and `reached` tells that
    a request is waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.reached = asyncio.Event()

    async def wait(self) -> Literal[True]:
        self.reached.set()
        return await super().wait()

    async def until_reached(self) -> None:
        await asyncio.wait_for(self.reached.wait(), HANG_GUARD_SECONDS)


@pytest.mark.parametrize("kind", ["rsa", "ec", "ed"])
async def test_a_token_signed_with_a_published_key_verifies(verifier, provider, keys, kind):
    key = getattr(keys, kind)

    assert await verified_subject(verifier, provider.mint("user-1", key)) == "user-1"


async def test_the_key_set_is_fetched_once_and_then_served_from_memory(verifier, provider, keys):
    for _ in range(5):
        await verified_subject(verifier, provider.mint("user-1", keys.rsa))

    assert provider.jwks_requests == 1


async def test_first_tokens_arriving_together_share_one_fetch(verifier, provider, keys):
    provider.held = held = AnswersHeld()
    tokens = [provider.mint(f"user-{n}", keys.rsa if n % 2 else keys.ec) for n in range(20)]

    verifying = asyncio.gather(*(verified_subject(verifier, token) for token in tokens))
    await held.until_reached()
    held.set()
    subjects = await verifying

    assert subjects == [f"user-{n}" for n in range(20)]
    assert provider.jwks_requests == 1


async def test_a_slow_first_fetch_holds_up_no_token_that_needs_no_fetch(
    verifier_for, provider, keys
):
    provider.held = held = AnswersHeld()
    verifier = verifier_for(secret=SECRET, algorithms=PUBLIC_KEY_ALGORITHMS | {"HS256"})
    waiting = asyncio.create_task(verified_subject(verifier, provider.mint("user-1", keys.rsa)))
    await held.until_reached()

    assert await verified_subject(verifier, shared_secret_token("user-2")) == "user-2"
    assert not waiting.done()
    held.set()
    assert await waiting == "user-1"


async def test_a_rotated_key_is_accepted_after_one_refresh_and_the_withdrawn_one_refused(
    verifier, provider, clock, keys
):
    await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    provider.publish(keys.next_rsa)
    provider.withdraw(keys.rsa.kid)
    clock.now += REFRESH_COOLDOWN_SECONDS

    assert await verified_subject(verifier, provider.mint("user-1", keys.next_rsa)) == "user-1"
    await refused(verifier, provider.mint("user-1", keys.rsa))
    assert provider.jwks_requests == 2


async def test_unknown_key_ids_refresh_the_keys_at_most_once_per_cooldown(
    verifier, provider, clock, keys
):
    await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    clock.now += REFRESH_COOLDOWN_SECONDS

    for n in range(30):
        await refused(verifier, provider.mint("user-1", keys.rsa, kid=f"made-up-{n}"))
    clock.now += REFRESH_COOLDOWN_SECONDS
    await refused(verifier, provider.mint("user-1", keys.rsa, kid="made-up-after-the-cooldown"))

    assert provider.jwks_requests == 3


async def test_a_key_published_during_the_cooldown_is_accepted_once_it_ends(
    verifier, provider, clock, keys
):
    await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    provider.publish(keys.next_rsa)
    await refused(verifier, provider.mint("user-1", keys.next_rsa, kid="made-up"))

    await refused(verifier, provider.mint("user-1", keys.next_rsa))
    clock.now += REFRESH_COOLDOWN_SECONDS

    assert await verified_subject(verifier, provider.mint("user-1", keys.next_rsa)) == "user-1"


async def test_an_old_key_set_is_refreshed_behind_the_tokens_it_still_verifies(
    verifier, provider, clock, keys
):
    await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    provider.withdraw(keys.ec.kid)
    clock.now += MAX_KEY_SET_AGE_SECONDS

    assert await verified_subject(verifier, provider.mint("user-1", keys.ec)) == "user-1"
    await background_refresh(provider, requests=2)
    await refused(verifier, provider.mint("user-1", keys.ec))


async def test_known_keys_keep_verifying_while_the_provider_is_unreachable(
    verifier_for, provider, clock, keys
):
    async with provider.serve() as url:
        verifier = verifier_for(public_keys=SigningKeys(url, clock=clock))
        await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    clock.now += MAX_KEY_SET_AGE_SECONDS

    for _ in range(3):
        assert await verified_subject(verifier, provider.mint("user-1", keys.rsa)) == "user-1"
        await asyncio.sleep(0.05)  # the background refresh fails meanwhile
    await refused(verifier, provider.mint("user-1", keys.rsa, kid="made-up"))


async def test_an_unknown_key_while_the_provider_fails_is_refused_with_one_attempt_per_cooldown(
    verifier, provider, clock, keys
):
    await verified_subject(verifier, provider.mint("user-1", keys.rsa))
    provider.failing = True
    clock.now += REFRESH_COOLDOWN_SECONDS

    for n in range(30):
        await refused(verifier, provider.mint("user-1", keys.rsa, kid=f"made-up-{n}"))

    assert provider.jwks_requests == 2
    assert await verified_subject(verifier, provider.mint("user-1", keys.rsa)) == "user-1"


async def test_no_token_verifies_while_the_first_fetch_fails(verifier, provider, keys):
    provider.failing = True

    await refused(verifier, provider.mint("user-1", keys.rsa))


async def test_a_shared_secret_token_verifies_beside_the_providers(verifier_for, provider, keys):
    verifier = verifier_for(secret=SECRET, algorithms=PUBLIC_KEY_ALGORITHMS | {"HS256"})

    assert await verified_subject(verifier, shared_secret_token("app-user")) == "app-user"
    assert await verified_subject(verifier, provider.mint("user-1", keys.rsa)) == "user-1"


async def test_an_expiry_within_the_clock_skew_is_tolerated(verifier, provider, keys):
    token = provider.mint("user-1", keys.rsa, exp=int(time.time()) - CLOCK_SKEW_SECONDS // 2)

    assert await verified_subject(verifier, token) == "user-1"


def hs256_over_the_public_key(provider: IdentityProvider, key: ProviderKey) -> str:
    """The algorithm-confusion attack: HS256 keyed with the text of the published public key,
    which a verifier that lets the token choose the algorithm would accept."""
    pem = key.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    claims = {"sub": "attacker", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 60}
    header = {"alg": "HS256", "typ": "JWT", "kid": key.kid}
    signing_input = ".".join(
        jwt.utils.base64url_encode(json.dumps(part).encode()).decode() for part in (header, claims)
    )
    signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{jwt.utils.base64url_encode(signature).decode()}"


def unsigned(provider: IdentityProvider, key: ProviderKey) -> str:
    header = {"alg": "none", "kid": key.kid}
    claims = {"sub": "attacker", "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60}
    parts = (jwt.utils.base64url_encode(json.dumps(p).encode()).decode() for p in (header, claims))
    return ".".join(parts) + "."


def tampered(token: str) -> str:
    """The token with one character of its payload changed; the signature no longer fits."""
    header, payload, signature = token.split(".")
    flipped = "A" if payload[5] != "A" else "B"
    return f"{header}.{payload[:5]}{flipped}{payload[6:]}.{signature}"


def other_signature(token: str, other: str) -> str:
    return token.rpartition(".")[0] + "." + other.rpartition(".")[2]


BAD_TOKENS: dict[str, Callable[[IdentityProvider, ProviderKeys], str]] = {
    "expired": lambda idp, keys: idp.mint(
        "user-1", keys.rsa, exp=int(time.time()) - WELL_BEYOND_SKEW
    ),
    "not_yet_valid": lambda idp, keys: idp.mint(
        "user-1", keys.rsa, nbf=int(time.time()) + WELL_BEYOND_SKEW
    ),
    "issued_in_the_future": lambda idp, keys: idp.mint(
        "user-1", keys.rsa, iat=int(time.time()) + WELL_BEYOND_SKEW
    ),
    "wrong_issuer": lambda idp, keys: idp.mint("user-1", keys.rsa, iss="https://evil.example/"),
    "no_issuer": lambda idp, keys: idp.mint("user-1", keys.rsa, iss=None),
    "wrong_audience": lambda idp, keys: idp.mint("user-1", keys.rsa, aud="another-app"),
    "no_audience": lambda idp, keys: idp.mint("user-1", keys.rsa, aud=None),
    "no_expiry": lambda idp, keys: idp.mint("user-1", keys.rsa, exp=None),
    "unknown_kid": lambda idp, keys: idp.mint("user-1", keys.rsa, kid="not-published"),
    "no_kid": lambda idp, keys: idp.mint("user-1", keys.rsa, kid=""),
    "unpublished_key": lambda idp, keys: idp.mint("user-1", keys.stranger),
    "signed_by_another_key_under_a_published_kid": lambda idp, keys: idp.mint(
        "user-1", keys.stranger, kid=keys.rsa.kid
    ),
    "ec_token_naming_an_rsa_key": lambda idp, keys: idp.mint("user-1", keys.ec, kid=keys.rsa.kid),
    "rsa_token_naming_an_ec_key": lambda idp, keys: idp.mint("user-1", keys.rsa, kid=keys.ec.kid),
    "eddsa_token_naming_an_rsa_key": lambda idp, keys: idp.mint(
        "user-1", keys.ed, kid=keys.rsa.kid
    ),
    "tampered_payload": lambda idp, keys: tampered(idp.mint("user-1", keys.rsa)),
    "tampered_signature": lambda idp, keys: other_signature(
        idp.mint("user-1", keys.rsa), idp.mint("user-2", keys.rsa)
    ),
    "oversized": lambda idp, keys: idp.mint("user-1", keys.rsa, padding="x" * MAX_TOKEN_LENGTH),
    "alg_none": lambda idp, keys: unsigned(idp, keys.rsa),
    "hs256_keyed_with_the_public_key": lambda idp, keys: hs256_over_the_public_key(idp, keys.rsa),
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
async def test_a_bad_token_is_unauthenticated(verifier, provider, keys, kind):
    await refused(verifier, BAD_TOKENS[kind](provider, keys))


async def test_the_public_key_confusion_is_refused_even_beside_a_shared_secret(
    verifier_for, provider, keys
):
    verifier = verifier_for(secret=SECRET, algorithms=PUBLIC_KEY_ALGORITHMS | {"HS256"})

    await refused(verifier, hs256_over_the_public_key(provider, keys.rsa))


async def test_an_algorithm_off_the_allow_list_is_refused_though_its_key_is_published(
    verifier_for, provider, keys
):
    verifier = verifier_for(algorithms=frozenset({"RS256"}))

    await refused(verifier, provider.mint("user-1", keys.ec))


async def test_a_key_published_for_one_algorithm_verifies_no_other(verifier_for, provider):
    rsa_for_rs256 = generate_key("RS256", "rs256-only")
    provider.publish(rsa_for_rs256)
    verifier = verifier_for(algorithms=PUBLIC_KEY_ALGORITHMS | {"PS256"})
    ps256 = jwt.encode(
        {"sub": "user-1", "iss": ISSUER, "aud": AUDIENCE, "exp": int(time.time()) + 60},
        rsa_for_rs256.private_key,
        algorithm="PS256",
        headers={"kid": rsa_for_rs256.kid},
    )

    await refused(verifier, ps256)


async def test_no_refusal_puts_the_token_in_a_log_line(verifier, provider, keys, caplog):
    tokens = [make(provider, keys) for make in BAD_TOKENS.values()]
    provider.failing = True

    with caplog.at_level(logging.DEBUG):
        for token in tokens:
            await refused(verifier, token)

    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert logged  # the failing provider was reported
    for token in tokens:
        assert token not in logged
        assert token.split(".")[1] not in logged


async def test_the_email_and_admin_claims_are_read_where_the_provider_puts_them(
    verifier_for, provider, keys
):
    verifier = verifier_for(
        email_claim="https://example.com/email",
        admin_claim=AdminClaim.parse("https://example.com/roles=admin"),
    )
    token = provider.mint(
        "user-1",
        keys.rsa,
        **{"https://example.com/email": "ada@example.com", "https://example.com/roles": ["admin"]},
    )

    principal = await verifier.verify(f"Bearer {token}")

    assert (principal.email, principal.is_admin) == ("ada@example.com", True)


# -- tokens already verified -----------------------------------------------------------------


@pytest.fixture
def signature_checks(monkeypatch) -> list[str]:
    """The tokens whose signature and claims were checked, in order."""
    checked: list[str] = []
    original = jwt.decode

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        checked.append(token)
        return original(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counting)
    return checked


async def test_a_token_already_verified_is_not_checked_again(
    verifier, provider, keys, signature_checks
):
    token = provider.mint("user-1", keys.rsa)

    for _ in range(3):
        assert await verified_subject(verifier, token) == "user-1"

    assert signature_checks == [token]


async def test_a_kept_token_is_checked_in_full_again_once_it_expires(
    verifier_for, provider, keys, signature_checks
):
    now = [time.time()]
    verifier = verifier_for(now=lambda: now[0])
    token = provider.mint("user-1", keys.rsa, exp=int(now[0]) + 60)
    await verified_subject(verifier, token)

    now[0] += 60 + CLOCK_SKEW_SECONDS  # by this clock; the signature check reads its own
    await verified_subject(verifier, token)

    assert signature_checks == [token, token]


async def test_a_kept_token_is_refused_once_its_withdrawn_key_is_learned(
    verifier, provider, clock, keys
):
    token = provider.mint("user-1", keys.rsa)
    await verified_subject(verifier, token)
    provider.withdraw(keys.rsa.kid)
    clock.now += MAX_KEY_SET_AGE_SECONDS

    assert await verified_subject(verifier, token) == "user-1"  # the set, stale, still has it
    await background_refresh(provider, requests=2)
    await refused(verifier, token)


async def test_a_tampered_copy_of_a_kept_token_is_refused(verifier, provider, keys):
    token = provider.mint("user-1", keys.rsa)
    await verified_subject(verifier, token)

    await refused(verifier, tampered(token))
