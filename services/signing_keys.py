"""The sign-in provider's public keys, fetched from its JWKS URL and kept between requests.

Verifying a token whose key is known costs no I/O. A key id never seen before (the provider
rotated its keys) triggers one refresh, shared by every request that waits for it, and refreshes
start at least a cooldown apart whatever the tokens say: made-up key ids cost the provider one
request per cooldown, never one per request. A set older than its maximum age is refreshed in the
background while its keys go on verifying, so a key the provider withdrew stops working even when
no new key id comes along. When the provider cannot be reached, or answers something unusable,
the keys already known stay in use.
"""

from __future__ import annotations

import asyncio
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from services.jwt_algorithms import key_algorithms

VerifyingKey = RSAPublicKey | EllipticCurvePublicKey | Ed25519PublicKey | Ed448PublicKey
Clock = Callable[[], float]

REFRESH_COOLDOWN_SECONDS = 30.0
MAX_KEY_SET_AGE_SECONDS = 600.0
# The whole download, connection included: a provider that trickles bytes cannot hold the
# requests waiting for a new key longer than this.
FETCH_TIMEOUT_SECONDS = 5.0
# Providers publish a handful of keys, a few KiB; a document far larger is not a key set.
MAX_KEY_SET_BYTES = 256 * 1024

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PublicKey:
    """One published key and the algorithms it may verify."""

    key: VerifyingKey
    algorithms: frozenset[str]


class KeySetUnusable(Exception):
    """The provider answered something that is not a key set holding a usable signing key."""


class SigningKeys:
    """The keys published at one JWKS URL, by key id (see the module)."""

    def __init__(
        self,
        url: str,
        *,
        clock: Clock = time.monotonic,
        cooldown_seconds: float = REFRESH_COOLDOWN_SECONDS,
        max_age_seconds: float = MAX_KEY_SET_AGE_SECONDS,
        timeout_seconds: float = FETCH_TIMEOUT_SECONDS,
    ) -> None:
        self.url = url
        self._clock = clock
        self._cooldown_seconds = cooldown_seconds
        self._max_age_seconds = max_age_seconds
        self._timeout_seconds = timeout_seconds
        self._keys: dict[str, PublicKey] = {}
        self._loaded_at: float | None = None
        self._attempted_at: float | None = None
        self._refresh: asyncio.Task[None] | None = None
        self._tls: ssl.SSLContext | None = None

    async def get(self, key_id: str) -> PublicKey | None:
        """The key named `key_id`, or None when the provider does not publish it (or could not
        be asked within the cooldown)."""
        known = self._keys.get(key_id)
        if known is not None:
            if self._is_stale():
                self._refresh_unless_cooling_down()
            return known
        refresh = self._refresh_unless_cooling_down()
        if refresh is not None:
            # Shielded: one caller giving up must not cancel the refresh the others wait for.
            await asyncio.shield(refresh)
        return self._keys.get(key_id)

    def _is_stale(self) -> bool:
        return self._loaded_at is None or self._clock() - self._loaded_at >= self._max_age_seconds

    def _refresh_unless_cooling_down(self) -> asyncio.Task[None] | None:
        """The refresh under way, or a new one; None while the last one is too recent."""
        if self._refresh is not None:
            return self._refresh
        now = self._clock()
        if self._attempted_at is not None and now - self._attempted_at < self._cooldown_seconds:
            return None
        self._attempted_at = now
        refresh = asyncio.create_task(self._replace_keys())
        refresh.add_done_callback(self._refresh_ended)
        self._refresh = refresh
        return refresh

    def _refresh_ended(self, _: asyncio.Task[None]) -> None:
        self._refresh = None

    async def _replace_keys(self) -> None:
        try:
            async with asyncio.timeout(self._timeout_seconds):
                keys = parse_key_set(await self._download())
        except (httpx.HTTPError, KeySetUnusable, ValueError, TimeoutError) as error:
            logger.warning(
                "signing keys not refreshed from %s (%s); the %d keys known before stay in use",
                self.url,
                _reason(error),
                len(self._keys),
            )
            return
        self._keys = keys
        self._loaded_at = self._clock()

    async def _download(self) -> object:
        if self._tls is None:
            # Built once, off the event loop: it reads the certificate bundle from disk.
            self._tls = await asyncio.to_thread(httpx.create_ssl_context)
        client = httpx.AsyncClient(
            verify=self._tls, timeout=self._timeout_seconds, follow_redirects=True
        )
        headers = {"accept": "application/json"}
        async with client, client.stream("GET", self.url, headers=headers) as response:
            response.raise_for_status()
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body += chunk
                if len(body) > MAX_KEY_SET_BYTES:
                    raise KeySetUnusable(f"the document is larger than {MAX_KEY_SET_BYTES} bytes")
        return json.loads(body)


def parse_key_set(document: object) -> dict[str, PublicKey]:
    """The signing keys of a JWKS document by key id. Keys without an id, meant for encryption,
    of a kind no accepted algorithm fits, or holding private parts are left out; a set left with
    none is unusable."""
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise KeySetUnusable("the document has no list of keys")
    keys: dict[str, PublicKey] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        key_id = entry.get("kid")
        key = _public_key(entry)
        if isinstance(key_id, str) and key_id and key is not None:
            keys[key_id] = key
    if not keys:
        raise KeySetUnusable("the key set holds no usable signing key")
    return keys


def _public_key(jwk: Mapping[str, object]) -> PublicKey | None:
    if jwk.get("use", "sig") != "sig":
        return None
    algorithms = key_algorithms(jwk)
    if not algorithms:
        return None
    try:
        # Any algorithm of the key's kind reads it; which ones it verifies is `algorithms`.
        parsed = jwt.PyJWK(dict(jwk), algorithm=min(algorithms)).key
    except jwt.PyJWTError:
        return None
    # A published private key is the provider's mistake: it cannot verify, so it is not used.
    if not isinstance(parsed, VerifyingKey):
        return None
    return PublicKey(key=parsed, algorithms=algorithms)


def _reason(error: Exception) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    if isinstance(error, TimeoutError):
        return "timed out"
    detail = str(error)
    return f"{type(error).__name__}: {detail}" if detail else type(error).__name__
