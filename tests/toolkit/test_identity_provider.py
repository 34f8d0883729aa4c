"""The local sign-in provider: tokens its published keys verify, and a JWKS endpoint a test can
count and break."""

from __future__ import annotations

import httpx
import jwt
import pytest

from simulator.toolkit.identity_provider import IdentityProvider, generate_key

ISSUER = "https://provider.example.com/"


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "ES384", "EdDSA"])
def test_a_minted_token_verifies_with_the_published_half_of_its_key(algorithm):
    key = generate_key(algorithm, "k-1")
    provider = IdentityProvider(issuer=ISSUER, audience="app")
    provider.publish(key)

    token = provider.mint("user-1", key, email="a@example.com")

    published = jwt.PyJWK(provider.jwks()["keys"][0])
    claims = jwt.decode(token, published, audience="app", issuer=ISSUER)
    assert (claims["sub"], claims["email"], jwt.get_unverified_header(token)["kid"]) == (
        "user-1",
        "a@example.com",
        "k-1",
    )


def test_the_key_set_holds_no_private_part():
    provider = IdentityProvider(issuer=ISSUER)
    provider.publish(generate_key("RS256", "rsa"), generate_key("ES256", "ec"))

    assert all("d" not in jwk for jwk in provider.jwks()["keys"])


async def test_the_jwks_endpoint_counts_its_requests_and_can_fail():
    provider = IdentityProvider(issuer=ISSUER)
    provider.publish(generate_key("EdDSA", "ed"))

    async with provider.serve() as url, httpx.AsyncClient() as http:
        served = await http.get(url)
        provider.failing = True
        failed = await http.get(url)

    assert (served.status_code, served.json(), failed.status_code) == (200, provider.jwks(), 503)
    assert provider.jwks_requests == 2
