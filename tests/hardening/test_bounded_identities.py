"""Bounded identities: every claim is checked at the door, and neither a claim nor a token is
ever written to the logs in full."""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import pytest

from billing_portal.logging_setup import JsonFormatter
from services.auth import (
    MAX_EMAIL_LENGTH,
    MAX_ROLE_LENGTH,
    MAX_SUBJECT_LENGTH,
    MAX_TOKEN_LENGTH,
    TokenVerifier,
)
from services.errors import PaymentProviderError, Unauthenticated
from services.models import User
from services.stripe_gateway import StripeGateway
from tests.hardening.support import UNSAFE_CHARACTERS, graphql
from tests.support import error_codes

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
VIEWER = "query { viewer { id email } }"


def header(**claims: object) -> str:
    payload = {"sub": "user-1", "exp": int(time.time()) + 60, **claims}
    return f"Bearer {jwt.encode(payload, SECRET, algorithm='HS256')}"


async def refusal(authorization: str) -> str:
    with pytest.raises(Unauthenticated) as refused:
        await TokenVerifier(SECRET).verify(authorization)
    return refused.value.message


async def test_claims_as_long_as_their_columns_are_accepted():
    principal = await TokenVerifier(SECRET).verify(
        header(sub="s" * MAX_SUBJECT_LENGTH, email="e" * MAX_EMAIL_LENGTH, role="r" * 64)
    )

    assert len(principal.subject) == MAX_SUBJECT_LENGTH


@pytest.mark.parametrize(
    ("claim", "max_length"),
    [("sub", MAX_SUBJECT_LENGTH), ("email", MAX_EMAIL_LENGTH), ("role", MAX_ROLE_LENGTH)],
)
async def test_a_claim_longer_than_its_column_is_unauthenticated_and_named(claim, max_length):
    value = "x" * (max_length + 1)

    message = await refusal(header(**{claim: value}))

    assert f"{claim} claim is longer than {max_length}" in message
    assert value not in message


@pytest.mark.parametrize(
    "character", [*UNSAFE_CHARACTERS.values(), "\n"], ids=[*UNSAFE_CHARACTERS, "newline"]
)
@pytest.mark.parametrize("claim", ["sub", "email"])
async def test_a_claim_with_a_character_databases_or_pages_refuse_is_unauthenticated(
    claim, character
):
    message = await refusal(header(**{claim: f"a{character}b"}))

    assert f"{claim} claim contains" in message
    assert f"U+{ord(character):04X}" in message


async def test_a_token_longer_than_the_bound_is_refused_before_it_is_decoded():
    message = await refusal(f"Bearer {'a' * (MAX_TOKEN_LENGTH + 1)}")

    assert str(MAX_TOKEN_LENGTH) in message


async def test_an_over_long_subject_is_unauthenticated_and_stores_nothing(client, token_for):
    body = await graphql(client, VIEWER, token=token_for("s" * (MAX_SUBJECT_LENGTH + 1)))

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0


async def test_an_over_long_email_is_unauthenticated_and_stores_nothing(client, token_for):
    long_email = "a" * MAX_EMAIL_LENGTH + "@example.com"

    body = await graphql(client, VIEWER, token=token_for("user-1", email=long_email))

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0


@pytest.mark.parametrize("subject", ["user\x00-1", "user\ud800-1"], ids=["nul", "surrogate"])
async def test_a_subject_no_database_can_store_is_unauthenticated(client, token_for, subject):
    body = await graphql(client, VIEWER, token=token_for(subject))

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0


async def test_neither_a_token_nor_its_claims_reach_the_logs(client, token_for, caplog):
    subject = "sub-" + "s" * 3000
    email = "e" * 3000 + "@example.com"
    token = token_for(subject, email=email)
    formatter = JsonFormatter()

    with caplog.at_level(logging.DEBUG):
        await client.post(
            "/graphql", json={"query": VIEWER}, headers={"authorization": f"Bearer {token}"}
        )
        await graphql(client, VIEWER, token=token_for("user-1", email=email))

    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert token not in logged
    assert "s" * 300 not in logged
    assert "e" * 300 not in logged


async def test_a_stripe_refusal_is_logged_without_the_whole_value_it_quotes(stripe_mock, caplog):
    gateway = StripeGateway(api_key="sk_test_logs", api_base=stripe_mock.url)
    quoted = "q" * 1000
    unknown: Any = {quoted: "x"}
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(PaymentProviderError):
            await gateway.call(lambda v1: v1.customers.create_async(unknown))
    finally:
        await gateway.close()

    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    assert "stripe call failed" in logged
    assert quoted not in logged
