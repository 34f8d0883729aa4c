"""Reading a provider's JWKS document: only public signing keys with an id are kept."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from services.signing_keys import KeySetUnusable, parse_key_set
from simulator.toolkit.identity_provider import generate_key


def test_each_signing_key_is_kept_by_its_id_with_the_algorithms_it_may_verify(keys):
    rsa_without_alg = {**keys.rsa.public_jwk(), "kid": "rsa-any"}
    del rsa_without_alg["alg"]

    keys = parse_key_set({"keys": [keys.rsa.public_jwk(), keys.ec.public_jwk(), rsa_without_alg]})

    assert {kid: key.algorithms for kid, key in keys.items()} == {
        "rsa-1": {"RS256"},
        "ec-1": {"ES256"},
        "rsa-any": {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"},
    }


@pytest.mark.parametrize(
    "unusable",
    [
        {"kty": "oct", "k": "c2VjcmV0", "kid": "shared-secret"},
        {"kty": "RSA", "kid": "no-modulus", "e": "AQAB"},
        {"kty": "EC", "crv": "P-192", "kid": "weak-curve", "x": "AA", "y": "AA"},
        "not-an-object",
    ],
    ids=["symmetric", "incomplete", "unsupported-curve", "not-an-object"],
)
def test_keys_no_accepted_algorithm_can_use_are_left_out(keys, unusable):
    keys = parse_key_set({"keys": [keys.rsa.public_jwk(), unusable]})

    assert set(keys) == {"rsa-1"}


@pytest.mark.parametrize(
    "change",
    [{"use": "enc"}, {"kid": ""}, {"alg": "ES256"}, {"alg": ["RS256"]}],
    ids=["for-encryption", "without-id", "alg-of-another-key-kind", "alg-not-a-name"],
)
def test_a_key_not_meant_for_verifying_these_tokens_is_left_out(keys, change):
    keys = parse_key_set({"keys": [keys.ec.public_jwk(), {**keys.rsa.public_jwk(), **change}]})

    assert set(keys) == {"ec-1"}


def test_a_published_private_key_is_not_used(keys):
    private = generate_key("ES256", "leaked")
    assert isinstance(private.private_key, ec.EllipticCurvePrivateKey)
    d = private.private_key.private_numbers().private_value.to_bytes(32, "big")
    leaked = {**private.public_jwk(), "d": jwt.utils.base64url_encode(d).decode()}

    keys = parse_key_set({"keys": [keys.ec.public_jwk(), leaked]})

    assert set(keys) == {"ec-1"}


@pytest.mark.parametrize(
    "document",
    [{}, {"keys": "none"}, {"keys": []}, [], {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}],
    ids=["no-keys", "keys-not-a-list", "empty", "not-an-object", "no-usable-key"],
)
def test_a_document_without_a_usable_signing_key_is_unusable(document):
    with pytest.raises(KeySetUnusable):
        parse_key_set(document)
