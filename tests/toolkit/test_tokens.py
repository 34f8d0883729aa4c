"""A minted token carries the claims the host app signs in with (the service's verifier is
tested against these tokens in tests/foundation/test_auth.py)."""

from __future__ import annotations

from typing import Any

import jwt

from simulator.toolkit.tokens import TokenMinter

SECRET = "toolkit-test-secret-long-enough-for-hs256"


def _claims(token: str) -> dict[str, Any]:
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_aud": False})


def test_a_user_token_has_subject_email_and_no_role():
    claims = _claims(TokenMinter(SECRET).mint("user-1", email="ada@example.com"))

    assert (claims["sub"], claims["email"]) == ("user-1", "ada@example.com")
    assert "role" not in claims


def test_an_admin_token_has_the_admin_role():
    assert _claims(TokenMinter(SECRET).mint("root", admin=True))["role"] == "admin"


def test_audience_and_issuer_are_stamped_only_when_given():
    stamped = _claims(TokenMinter(SECRET, "billing", "https://app.example.com").mint("user-2"))
    plain = _claims(TokenMinter(SECRET).mint("user-2"))

    assert (stamped["aud"], stamped["iss"]) == ("billing", "https://app.example.com")
    assert "aud" not in plain
    assert "iss" not in plain


def test_a_token_lives_for_its_ttl():
    claims = _claims(TokenMinter(SECRET).mint("user-3", ttl_seconds=60))

    assert claims["exp"] - claims["iat"] == 60
