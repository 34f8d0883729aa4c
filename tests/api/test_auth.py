"""Authentication and authorization through the GraphQL endpoint: who may call what."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import jwt
import pytest

from services.models import PortalBlock, PortalConfiguration, User
from simulator.toolkit.identity_provider import IdentityProvider, ProviderKey, generate_key
from tests.api.conftest import client_with
from tests.support import error_codes, graphql

VIEWER = "query { viewer { id } }"
SAVE_BLOCK = """
mutation ($input: PortalBlockInput!) { savePortalBlock(input: $input) { id } }
"""
CONFIGURE = """
mutation ($input: PortalConfigurationInput!) { configureCustomerPortal(input: $input) { id } }
"""
PORTAL_CONFIGURATION = "query { portalConfiguration { id } }"


def _token(secret: str, **claims: object) -> str:
    now = int(time.time())
    return jwt.encode({"sub": "user-1", "exp": now + 600, **claims}, secret, algorithm="HS256")


def _unsigned(**claims: object) -> str:
    header = jwt.utils.base64url_encode(b'{"alg":"none","typ":"JWT"}').decode()
    payload = jwt.utils.base64url_encode(
        json.dumps({"sub": "user-1", "exp": int(time.time()) + 600, **claims}).encode()
    ).decode()
    return f"{header}.{payload}."


@pytest.fixture
def bad_tokens(settings):
    secret = settings.jwt_secret
    return {
        "expired": _token(secret, exp=int(time.time()) - 60),
        "alg_none": _unsigned(),
        "wrong_key": _token("another-secret-entirely-and-long-enough"),
        "malformed": "not.a.jwt",
        "no_subject": jwt.encode({"exp": int(time.time()) + 600}, secret, algorithm="HS256"),
        "no_expiry": jwt.encode({"sub": "user-1"}, secret, algorithm="HS256"),
    }


@pytest.mark.parametrize(
    "kind", ["expired", "alg_none", "wrong_key", "malformed", "no_subject", "no_expiry"]
)
async def test_a_bad_token_is_unauthenticated_and_creates_no_user(client, bad_tokens, kind):
    body = await graphql(client, VIEWER, token=bad_tokens[kind])

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0


async def test_a_missing_token_is_unauthenticated(client):
    assert error_codes(await graphql(client, VIEWER)) == ["UNAUTHENTICATED"]


async def test_a_non_bearer_authorization_header_is_unauthenticated(client, token_for):
    response = await client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={"authorization": f"Basic {token_for('user-1')}"},
    )

    assert error_codes(response.json()) == ["UNAUTHENTICATED"]


AUDIENCE = "billing-portal"
ISSUER = "https://auth.example.com"


@pytest.fixture
async def strict_client(stripe_mock, database):
    """A client on an app that requires an audience and an issuer."""
    strict = client_with(
        database_url=database,
        stripe_api_base=stripe_mock.url,
        auth_jwt_audience=AUDIENCE,
        auth_jwt_issuer=ISSUER,
    )
    async with strict as http:
        yield http


async def test_a_token_with_the_configured_audience_and_issuer_is_accepted(strict_client, settings):
    token = _token(settings.jwt_secret, aud=AUDIENCE, iss=ISSUER)

    body = await graphql(strict_client, VIEWER, token=token)

    assert body["data"] == {"viewer": {"id": "user-1"}}


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://auth.example.com"},
        {"aud": "another-app", "iss": "https://auth.example.com"},
        {"aud": "billing-portal"},
        {"aud": "billing-portal", "iss": "https://evil.example.com"},
    ],
    ids=["no_audience", "wrong_audience", "no_issuer", "wrong_issuer"],
)
async def test_audience_and_issuer_are_checked_when_configured(strict_client, settings, claims):
    body = await graphql(strict_client, VIEWER, token=_token(settings.jwt_secret, **claims))

    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_non_admin_cannot_save_a_portal_block(client, token_for):
    body = await graphql(
        client,
        SAVE_BLOCK,
        {"input": {"title": "Billing", "redirectUrl": "https://localhost/account"}},
        token=token_for("user-1"),
    )

    assert error_codes(body) == ["FORBIDDEN"]
    assert await PortalBlock.all().count() == 0


async def test_a_non_admin_cannot_configure_the_customer_portal(client, token_for):
    options = {
        "cancelSubscription": True,
        "updatePaymentMethod": True,
        "updateSubscription": False,
        "invoiceHistory": True,
        "updateCustomerDetails": True,
    }

    body = await graphql(client, CONFIGURE, {"input": options}, token=token_for("user-1"))

    assert error_codes(body) == ["FORBIDDEN"]
    assert await PortalConfiguration.all().count() == 0


async def test_a_non_admin_cannot_read_the_portal_configuration(client, token_for):
    body = await graphql(client, PORTAL_CONFIGURATION, token=token_for("user-1"))

    assert error_codes(body) == ["FORBIDDEN"]


async def test_admin_mutations_without_a_token_are_unauthenticated(client):
    body = await graphql(
        client, SAVE_BLOCK, {"input": {"title": "Billing", "redirectUrl": "https://localhost/a"}}
    )

    assert error_codes(body) == ["UNAUTHENTICATED"]


PROVIDER_ISSUER = "https://tenant.example.com/"
# Namespaced claims, as Auth0 requires for custom claims in its access tokens.
EMAIL_CLAIM = "https://billing.example.com/email"
ROLES_CLAIM = "https://billing.example.com/roles"


@pytest.fixture(scope="module")
def provider_key() -> ProviderKey:
    return generate_key("RS256", "tenant-key-1")


@pytest.fixture
async def provider(provider_key) -> AsyncIterator[tuple[IdentityProvider, str]]:
    """A sign-in provider serving its JWKS on a loopback port: (the provider, its JWKS URL)."""
    idp = IdentityProvider(issuer=PROVIDER_ISSUER, audience=AUDIENCE)
    idp.publish(provider_key)
    async with idp.serve() as jwks_url:
        yield idp, jwks_url


@pytest.fixture
async def provider_client(stripe_mock, database, provider):
    """A client on an app that verifies the provider's tokens."""
    _, jwks_url = provider
    configured = client_with(
        database_url=database,
        stripe_api_base=stripe_mock.url,
        auth_jwks_url=jwks_url,
        auth_jwt_issuer=PROVIDER_ISSUER,
        auth_jwt_audience=AUDIENCE,
        auth_email_claim=EMAIL_CLAIM,
        auth_admin_claim=f"{ROLES_CLAIM}=admin",
    )
    async with configured as http:
        yield http


async def test_a_sign_in_providers_token_signs_the_user_in(provider_client, provider, provider_key):
    idp, _ = provider
    token = idp.mint("auth0|ada", provider_key, **{EMAIL_CLAIM: "ada@example.com"})

    body = await graphql(provider_client, "query { viewer { id email } }", token=token)

    assert body["data"] == {"viewer": {"id": "auth0|ada", "email": "ada@example.com"}}


@pytest.mark.parametrize(("roles", "codes"), [(["admin"], []), (["member"], ["FORBIDDEN"])])
async def test_the_providers_roles_claim_decides_who_is_an_admin(
    provider_client, provider, provider_key, roles, codes
):
    idp, _ = provider
    token = idp.mint("auth0|ada", provider_key, **{ROLES_CLAIM: roles})

    body = await graphql(provider_client, PORTAL_CONFIGURATION, token=token)

    assert error_codes(body) == codes


async def test_an_unknown_key_while_the_provider_is_down_is_unauthenticated(
    provider_client, provider, provider_key
):
    idp, _ = provider
    idp.failing = True
    token = idp.mint("user-1", provider_key, kid="rotated-in-during-the-outage")

    response = await provider_client.post(
        "/graphql", json={"query": VIEWER}, headers={"authorization": f"Bearer {token}"}
    )

    assert response.status_code == 200
    assert error_codes(response.json()) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0
