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

    assert str(refusal.value) == f"{missing} is required when BILLING_ENV=prod"


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
