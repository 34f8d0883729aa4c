"""Which signature algorithms a token may name, and which kind of key verifies each.

A token's algorithm is only ever checked against a key of its own kind: an HMAC token against the
shared secret, a public-key token against a published key whose type (and curve) fit the
algorithm. So a token signed with HS256 over the text of a public key never meets that key, and
`none` is not a name here at all.
"""

from __future__ import annotations

from collections.abc import Mapping

HMAC_ALGORITHMS = frozenset({"HS256", "HS384", "HS512"})
# What each kind of public key can verify, by (`kty`, `crv`); RSA keys have no curve.
_BY_KEY_KIND: dict[tuple[str, str | None], frozenset[str]] = {
    ("RSA", None): frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}),
    ("EC", "P-256"): frozenset({"ES256"}),
    ("EC", "P-384"): frozenset({"ES384"}),
    ("EC", "P-521"): frozenset({"ES512"}),
    ("OKP", "Ed25519"): frozenset({"EdDSA"}),
    ("OKP", "Ed448"): frozenset({"EdDSA"}),
}
PUBLIC_KEY_ALGORITHMS = frozenset().union(*_BY_KEY_KIND.values())
SUPPORTED_ALGORITHMS = HMAC_ALGORITHMS | PUBLIC_KEY_ALGORITHMS
# Accepted when AUTH_JWT_ALGORITHMS is not set: what the hosted sign-in providers sign with.
DEFAULT_HMAC_ALGORITHMS = ("HS256",)
DEFAULT_PUBLIC_KEY_ALGORITHMS = ("RS256", "ES256", "EdDSA")


def key_algorithms(jwk: Mapping[str, object]) -> frozenset[str]:
    """The algorithms a published key may verify: those of its type and curve, narrowed to the
    one it names in `alg` when it names one (a provider that says RS256 means only RS256)."""
    kind = jwk.get("kty")
    curve = jwk.get("crv") if kind != "RSA" else None
    if not isinstance(kind, str) or not isinstance(curve, str | None):
        return frozenset()
    fitting = _BY_KEY_KIND.get((kind, curve), frozenset())
    named = jwk.get("alg")
    if named is None:
        return fitting
    return fitting & {named} if isinstance(named, str) else frozenset()
