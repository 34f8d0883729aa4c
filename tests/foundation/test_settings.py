"""Settings: safe defaults outside prod, and a one-line refusal for every unsafe configuration."""

from __future__ import annotations

import pytest

from billing_portal.settings import (
    DEV_STRIPE_API_BASE,
    LIVE_STRIPE_API_BASE,
    ConfigurationError,
    Settings,
    load_settings,
)

PROD_REQUIRED = {
    "STRIPE_API_KEY": "sk_live_123",
    "STRIPE_WEBHOOK_SECRET": "whsec_prod",
    "AUTH_JWT_SECRET": "a-long-production-secret-of-32-bytes",
    "ALLOWED_REDIRECT_HOSTS": "app.example.com",
}


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """No setting leaks in from the shell or a developer's `.env`."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


def test_outside_prod_every_setting_has_a_safe_default():
    settings = load_settings()

    assert settings.billing_env == "dev"
    assert settings.api_key.startswith("sk_test_")
    assert settings.api_base == DEV_STRIPE_API_BASE
    assert settings.webhook_secret.startswith("whsec_")
    assert settings.allowed_redirect_hosts == ["localhost", "127.0.0.1"]
    assert settings.cors_allow_origins == ["http://localhost:5173", "http://127.0.0.1:8000"]


def test_comma_separated_lists_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_REDIRECT_HOSTS", " app.example.com , www.example.com,")

    assert load_settings().allowed_redirect_hosts == ["app.example.com", "www.example.com"]


def test_a_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("AUTH_JWT_ISSUER=https://issuer.example.com\n")

    assert load_settings().auth_jwt_issuer == "https://issuer.example.com"


@pytest.mark.parametrize("environment", ["dev", "test"])
def test_a_live_key_is_refused_outside_prod(monkeypatch, environment):
    monkeypatch.setenv("BILLING_ENV", environment)
    monkeypatch.setenv("STRIPE_API_KEY", "sk_live_123")

    with pytest.raises(ConfigurationError) as refusal:
        load_settings()

    assert str(refusal.value) == (
        f"STRIPE_API_KEY must be a test key (sk_test_...) when BILLING_ENV={environment}"
    )


def test_prod_with_every_required_setting_starts_against_live_stripe(monkeypatch):
    monkeypatch.setenv("BILLING_ENV", "prod")
    for name, value in PROD_REQUIRED.items():
        monkeypatch.setenv(name, value)

    settings = load_settings()

    assert settings.is_prod
    assert settings.api_base == LIVE_STRIPE_API_BASE
    assert settings.cors_allow_origins == []


@pytest.mark.parametrize("missing", sorted(PROD_REQUIRED))
def test_prod_names_the_missing_setting_in_one_line(monkeypatch, missing):
    monkeypatch.setenv("BILLING_ENV", "prod")
    for name, value in PROD_REQUIRED.items():
        if name != missing:
            monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError) as refusal:
        load_settings()

    # Tokens verify with the shared secret or the provider's published keys: either will do.
    named = "AUTH_JWT_SECRET or AUTH_JWKS_URL" if missing == "AUTH_JWT_SECRET" else missing
    assert str(refusal.value) == f"{named} is required when BILLING_ENV=prod"


def test_prod_names_every_missing_setting_at_once(monkeypatch):
    monkeypatch.setenv("BILLING_ENV", "prod")

    with pytest.raises(ConfigurationError) as refusal:
        load_settings()

    message = str(refusal.value)
    assert "\n" not in message
    assert all(name in message for name in PROD_REQUIRED)


def test_a_webhook_secret_without_its_prefix_is_refused(monkeypatch):
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", "not-a-stripe-secret")

    with pytest.raises(ConfigurationError, match="STRIPE_WEBHOOK_SECRET must start with whsec_"):
        load_settings()


def test_an_unknown_environment_name_is_one_line_naming_the_variable(monkeypatch):
    monkeypatch.setenv("BILLING_ENV", "staging")

    with pytest.raises(ConfigurationError) as refusal:
        load_settings()

    assert str(refusal.value).startswith("BILLING_ENV: ")
    assert "\n" not in str(refusal.value)


JWKS_URL = "https://provider.example.com/.well-known/jwks.json"
ISSUER = "https://provider.example.com/"


def with_a_provider(monkeypatch: pytest.MonkeyPatch, *, prod: bool = False) -> None:
    """A sign-in provider's JWKS URL and issuer set; in prod, without a shared secret."""
    if prod:
        monkeypatch.setenv("BILLING_ENV", "prod")
        for name, value in PROD_REQUIRED.items():
            if name != "AUTH_JWT_SECRET":
                monkeypatch.setenv(name, value)
    monkeypatch.setenv("AUTH_JWKS_URL", JWKS_URL)
    monkeypatch.setenv("AUTH_JWT_ISSUER", ISSUER)


def test_by_default_only_the_configured_keys_algorithms_are_accepted(monkeypatch):
    assert load_settings().jwt_algorithms == ["HS256"]

    with_a_provider(monkeypatch)

    assert load_settings().jwt_algorithms == ["HS256", "RS256", "ES256", "EdDSA"]


def test_prod_verifies_provider_tokens_without_a_shared_secret(monkeypatch):
    with_a_provider(monkeypatch, prod=True)

    assert load_settings().jwt_algorithms == ["RS256", "ES256", "EdDSA"]


def test_a_blank_jwks_url_is_no_jwks_url(monkeypatch):
    monkeypatch.setenv("AUTH_JWKS_URL", " ")

    assert load_settings().auth_jwks_url is None


def test_the_algorithm_list_is_read_as_a_comma_separated_list(monkeypatch):
    with_a_provider(monkeypatch)
    monkeypatch.setenv("AUTH_JWT_ALGORITHMS", "RS256, ES256")

    assert load_settings().jwt_algorithms == ["RS256", "ES256"]


@pytest.mark.parametrize(
    ("algorithms", "refusal"),
    [
        ("HS256,none", "AUTH_JWT_ALGORITHMS: 'none' is not accepted"),
        ("HS256,HS1", "AUTH_JWT_ALGORITHMS: 'HS1' is not accepted"),
        ("ES256", "AUTH_JWT_ALGORITHMS names ES256, which needs AUTH_JWKS_URL"),
    ],
    ids=["none", "unknown", "public-key-without-jwks"],
)
def test_an_algorithm_nothing_can_verify_safely_is_refused(monkeypatch, algorithms, refusal):
    monkeypatch.setenv("AUTH_JWT_ALGORITHMS", algorithms)

    with pytest.raises(ConfigurationError) as refused:
        load_settings()

    assert str(refused.value).startswith(refusal)


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        (
            {"AUTH_JWT_ALGORITHMS": "RS256,HS256"},
            "AUTH_JWT_ALGORITHMS names HS256, which needs AUTH_JWT_SECRET",
        ),
        ({"AUTH_JWT_ISSUER": ""}, "AUTH_JWT_ISSUER is required with AUTH_JWKS_URL"),
        (
            {"AUTH_JWKS_URL": "http://provider.example.com/jwks.json"},
            "AUTH_JWKS_URL must be an https URL",
        ),
    ],
    ids=["hmac-without-secret", "no-issuer", "plain-http"],
)
def test_a_provider_setup_that_cannot_verify_safely_is_refused(monkeypatch, changes, refusal):
    with_a_provider(monkeypatch, prod=True)
    for name, value in changes.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError) as refused:
        load_settings()

    assert str(refused.value) == refusal


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AUTH_ADMIN_CLAIM", "role"),
        ("AUTH_ADMIN_CLAIM", "=admin"),
        ("AUTH_ADMIN_CLAIM", "role="),
        ("AUTH_EMAIL_CLAIM", "user..email"),
    ],
)
def test_a_claim_rule_that_names_no_claim_is_refused_in_one_line(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)

    with pytest.raises(ConfigurationError) as refused:
        load_settings()

    assert str(refused.value).startswith(f"{variable}: ")
    assert "\n" not in str(refused.value)
