"""A hosted sign-in provider as the service meets it: tokens signed with the provider's private
keys, and the public half of those keys served as a JWKS document over HTTP.

Keys are generated here and never leave the process. The JWKS endpoint counts the requests it
answers and can be made slow or failing, so a test can watch the service's key cache: how often
it asks, and what it does while the provider is down.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.toolkit.loopback import serving

JWKS_PATH = "/.well-known/jwks.json"
TOKEN_TTL_SECONDS = 3_600
RSA_KEY_BITS = 2048

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True, slots=True)
class ProviderKey:
    """One signing key of the provider: its id, the algorithm it signs with, its private half."""

    kid: str
    algorithm: str
    private_key: PrivateKey

    def public_jwk(self) -> dict[str, object]:
        """The key as the provider publishes it: public half, id, use and algorithm."""
        public = self.private_key.public_key()
        if isinstance(public, rsa.RSAPublicKey):
            jwk = RSAAlgorithm.to_jwk(public, as_dict=True)
        elif isinstance(public, ec.EllipticCurvePublicKey):
            jwk = ECAlgorithm.to_jwk(public, as_dict=True)
        else:
            jwk = OKPAlgorithm.to_jwk(public, as_dict=True)
        return {**jwk, "kid": self.kid, "use": "sig", "alg": self.algorithm}


def generate_key(algorithm: str, kid: str) -> ProviderKey:
    """A fresh key for `algorithm`: RS256 (RSA 2048), ES256 (P-256), ES384 (P-384) or EdDSA
    (Ed25519)."""
    private_key: PrivateKey
    if algorithm == "RS256":
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    elif algorithm == "ES256":
        private_key = ec.generate_private_key(ec.SECP256R1())
    elif algorithm == "ES384":
        private_key = ec.generate_private_key(ec.SECP384R1())
    elif algorithm == "EdDSA":
        private_key = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(f"no key kind for {algorithm}")
    return ProviderKey(kid=kid, algorithm=algorithm, private_key=private_key)


@dataclass
class IdentityProvider:
    """Mints tokens for `issuer` and `audience`, and serves the keys it publishes (see `serve`)."""

    issuer: str
    audience: str | None = None
    published: dict[str, ProviderKey] = field(default_factory=dict)
    jwks_requests: int = 0
    # While true the JWKS endpoint answers 503, as a provider in an outage does.
    failing: bool = False
    # While an unset event, the JWKS endpoint answers only once it is set: a test holds a fetch
    # in flight for as long as it needs, however slow the machine.
    held: asyncio.Event | None = None

    def publish(self, *keys: ProviderKey) -> None:
        for key in keys:
            self.published[key.kid] = key

    def withdraw(self, kid: str) -> None:
        del self.published[kid]

    def jwks(self) -> dict[str, list[dict[str, object]]]:
        return {"keys": [key.public_jwk() for key in self.published.values()]}

    def mint(
        self,
        subject: str,
        key: ProviderKey,
        *,
        kid: str | None = None,
        ttl_seconds: int = TOKEN_TTL_SECONDS,
        **claims: object,
    ) -> str:
        """A token for `subject` signed with `key` (named `kid` in its header, `key.kid` unless
        given). `claims` add to or replace the standard ones; a None value leaves one out."""
        now = int(time.time())
        standard: dict[str, object] = {
            "sub": subject,
            "iss": self.issuer,
            "iat": now,
            "exp": now + ttl_seconds,
        }
        if self.audience is not None:
            standard["aud"] = self.audience
        payload = {
            name: value for name, value in {**standard, **claims}.items() if value is not None
        }
        headers = {"kid": kid if kid is not None else key.kid}
        return jwt.encode(payload, key.private_key, algorithm=key.algorithm, headers=headers)

    def app(self) -> Starlette:
        async def jwks(_: Request) -> Response:
            self.jwks_requests += 1
            if self.held is not None:
                await self.held.wait()
            if self.failing:
                return JSONResponse({"error": "unavailable"}, status_code=503)
            return JSONResponse(self.jwks())

        return Starlette(routes=[Route(JWKS_PATH, jwks)])

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """The JWKS endpoint on a loopback port for the duration; yields its URL."""
        async with serving(self.app(), "identity provider") as base_url:
            yield f"{base_url}{JWKS_PATH}"
