"""Configuration from the environment (and `.env`), as the README's Configuration table lists it.

Defaults exist only outside prod, and they point at stripe-mock with a test key, so a developer
machine can never reach (or charge) a live Stripe account by accident.
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.claims import (
    DEFAULT_ADMIN_CLAIM,
    DEFAULT_EMAIL_CLAIM,
    AdminClaim,
    claim_path,
)
from services.jwt_algorithms import (
    DEFAULT_HMAC_ALGORITHMS,
    DEFAULT_PUBLIC_KEY_ALGORITHMS,
    HMAC_ALGORITHMS,
    SUPPORTED_ALGORITHMS,
)
from services.mirror.ownership import MAX_PAST_DUE_GRACE_DAYS
from services.stripe_gateway import (
    DEFAULT_DEADLINE_SECONDS,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_NETWORK_RETRIES,
    DEFAULT_TIMEOUT_SECONDS,
)
from services.webhooks.service import DEFAULT_BATCH_MAX_EVENTS

Environment = Literal["dev", "test", "prod"]

DEFAULT_DATABASE_URL = "sqlite://var/billing.db"
DEV_STRIPE_API_KEY = "sk_test_mock"
DEFAULT_SERVE_PORT = 8000
# Where the app receives Stripe's webhooks (the endpoint URL registered in Stripe ends so).
WEBHOOK_PATH = "/webhooks/stripe"
DEV_STRIPE_MOCK_PORT = 12111
DEV_STRIPE_API_BASE = f"http://127.0.0.1:{DEV_STRIPE_MOCK_PORT}"
DEV_WEBHOOK_SECRET = "whsec_billing_portal_development_only"
DEV_JWT_SECRET = "billing-portal-development-only-jwt-secret"
LIVE_STRIPE_API_BASE = "https://api.stripe.com"
DEV_REDIRECT_HOSTS = ("localhost", "127.0.0.1")
DEV_CORS_ORIGINS = ("http://localhost:5173", f"http://127.0.0.1:{DEFAULT_SERVE_PORT}")

_REQUIRED_IN_PROD = ("stripe_api_key", "stripe_webhook_secret")
# Tokens are verified with the shared secret, the provider's published keys, or both.
_TOKEN_KEYS_IN_PROD = "AUTH_JWT_SECRET or AUTH_JWKS_URL"


class ConfigurationError(Exception):
    """A setting is missing or unsafe; the message is one line that names the variable."""


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    billing_env: Environment = "dev"
    database_url: str = DEFAULT_DATABASE_URL
    stripe_api_key: str | None = None
    stripe_api_base: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_max_network_retries: int = Field(default=DEFAULT_MAX_NETWORK_RETRIES, ge=0, le=10)
    stripe_timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0)
    stripe_deadline_seconds: float = Field(default=DEFAULT_DEADLINE_SECONDS, gt=0)
    stripe_max_connections: int = Field(default=DEFAULT_MAX_CONNECTIONS, ge=1, le=10_000)
    webhook_refetch_objects: bool = False
    webhook_batch_max_events: int = Field(default=DEFAULT_BATCH_MAX_EVENTS, ge=1, le=10_000)
    webhook_batch_max_wait_ms: float = Field(default=0.0, ge=0, le=1000)
    auth_jwt_secret: str | None = None
    auth_jwt_audience: str | None = None
    auth_jwt_issuer: str | None = None
    auth_jwks_url: str | None = None
    auth_jwt_algorithms: Annotated[list[str], NoDecode] = Field(default_factory=list)
    auth_email_claim: str = DEFAULT_EMAIL_CLAIM
    auth_admin_claim: str = DEFAULT_ADMIN_CLAIM
    allowed_redirect_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_allow_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_sessions_per_minute: int = Field(default=30, ge=0)
    past_due_grace_days: int = Field(default=0, ge=0, le=MAX_PAST_DUE_GRACE_DAYS)
    refund_ends_purchase: bool = True
    # None: on outside prod; in prod, on exactly when METRICS_TOKEN is set.
    metrics_enabled: bool | None = None
    metrics_token: str | None = Field(default=None, min_length=1)
    live_connections_per_user: int = Field(default=5, ge=1, le=100)
    live_ping_seconds: float = Field(default=15.0, ge=1, le=300)

    _split = field_validator(
        "allowed_redirect_hosts", "cors_allow_origins", "auth_jwt_algorithms", mode="before"
    )(_split_csv)

    @field_validator("auth_jwks_url", mode="before")
    @classmethod
    def _blank_jwks_url_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("auth_email_claim")
    @classmethod
    def _readable_email_claim(cls, value: str) -> str:
        return claim_path(value)

    @field_validator("auth_admin_claim")
    @classmethod
    def _readable_admin_claim(cls, value: str) -> str:
        AdminClaim.parse(value)
        return value

    @model_validator(mode="before")
    @classmethod
    def _fill_environment_defaults(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        values = {key.lower(): value for key, value in data.items()}
        if values.get("billing_env", "dev") == "prod":
            missing = [name.upper() for name in _REQUIRED_IN_PROD if not values.get(name)]
            if not (values.get("auth_jwt_secret") or values.get("auth_jwks_url")):
                missing.append(_TOKEN_KEYS_IN_PROD)
            if not values.get("allowed_redirect_hosts"):
                missing.append("ALLOWED_REDIRECT_HOSTS")
            if missing:
                names = ", ".join(missing)
                verb = "is" if len(missing) == 1 else "are"
                raise ValueError(f"{names} {verb} required when BILLING_ENV=prod")
            values.setdefault("stripe_api_base", LIVE_STRIPE_API_BASE)
            return values
        values.setdefault("stripe_api_key", DEV_STRIPE_API_KEY)
        values.setdefault("stripe_api_base", DEV_STRIPE_API_BASE)
        values.setdefault("stripe_webhook_secret", DEV_WEBHOOK_SECRET)
        values.setdefault("auth_jwt_secret", DEV_JWT_SECRET)
        values.setdefault("allowed_redirect_hosts", ",".join(DEV_REDIRECT_HOSTS))
        values.setdefault("cors_allow_origins", ",".join(DEV_CORS_ORIGINS))
        return values

    @model_validator(mode="after")
    def _refuse_live_keys_outside_prod(self) -> Settings:
        if self.billing_env != "prod" and not (self.stripe_api_key or "").startswith("sk_test_"):
            env = self.billing_env
            raise ValueError(
                f"STRIPE_API_KEY must be a test key (sk_test_...) when BILLING_ENV={env}"
            )
        if not (self.stripe_webhook_secret or "").startswith("whsec_"):
            raise ValueError("STRIPE_WEBHOOK_SECRET must start with whsec_")
        return self

    @model_validator(mode="after")
    def _refuse_unverifiable_tokens(self) -> Settings:
        if self.auth_jwks_url is not None:
            _check_jwks_url(self.auth_jwks_url, is_prod=self.is_prod)
            if not self.auth_jwt_issuer:
                # Providers share keys between their customers' apps (all Firebase projects,
                # all of a tenant's Auth0 APIs): only the issuer says the token is for this one.
                raise ValueError("AUTH_JWT_ISSUER is required with AUTH_JWKS_URL")
        for algorithm in self.jwt_algorithms:
            _check_algorithm(algorithm, self)
        return self

    @model_validator(mode="after")
    def _refuse_open_metrics_in_prod(self) -> Settings:
        if self.is_prod and self.metrics_enabled and self.metrics_token is None:
            # Counts by operation and endpoint tell an outsider how the service is used.
            raise ValueError(
                "METRICS_TOKEN is required with METRICS_ENABLED=true when BILLING_ENV=prod"
            )
        return self

    @property
    def is_prod(self) -> bool:
        return self.billing_env == "prod"

    @property
    def serves_metrics(self) -> bool:
        if self.metrics_enabled is not None:
            return self.metrics_enabled
        return self.metrics_token is not None or not self.is_prod

    # The validators above guarantee these are set; the accessors spare callers the Optional.
    @property
    def api_key(self) -> str:
        assert self.stripe_api_key is not None
        return self.stripe_api_key

    @property
    def api_base(self) -> str:
        assert self.stripe_api_base is not None
        return self.stripe_api_base.rstrip("/")

    @property
    def webhook_secret(self) -> str:
        assert self.stripe_webhook_secret is not None
        return self.stripe_webhook_secret

    @property
    def jwt_secret(self) -> str:
        """The secret to mint tokens with (development tools, the simulator)."""
        if self.auth_jwt_secret is None:
            raise ConfigurationError("AUTH_JWT_SECRET is not set: this service mints no tokens")
        return self.auth_jwt_secret

    @property
    def jwt_algorithms(self) -> list[str]:
        """AUTH_JWT_ALGORITHMS, or by default what the configured secret and keys verify."""
        if self.auth_jwt_algorithms:
            return list(self.auth_jwt_algorithms)
        return [
            *(DEFAULT_HMAC_ALGORITHMS if self.auth_jwt_secret else ()),
            *(DEFAULT_PUBLIC_KEY_ALGORITHMS if self.auth_jwks_url else ()),
        ]


def _check_jwks_url(url: str, *, is_prod: bool) -> None:
    parts = urlsplit(url)
    schemes = ("https",) if is_prod else ("https", "http")
    if parts.scheme not in schemes or not parts.hostname:
        kind = "an https URL" if is_prod else "an http(s) URL"
        raise ValueError(f"AUTH_JWKS_URL must be {kind}")


def _check_algorithm(algorithm: str, settings: Settings) -> None:
    if algorithm not in SUPPORTED_ALGORITHMS:
        supported = ", ".join(sorted(SUPPORTED_ALGORITHMS))
        raise ValueError(
            f"AUTH_JWT_ALGORITHMS: {algorithm!r} is not accepted (supported: {supported})"
        )
    if algorithm in HMAC_ALGORITHMS and not settings.auth_jwt_secret:
        raise ValueError(f"AUTH_JWT_ALGORITHMS names {algorithm}, which needs AUTH_JWT_SECRET")
    if algorithm not in HMAC_ALGORITHMS and not settings.auth_jwks_url:
        raise ValueError(f"AUTH_JWT_ALGORITHMS names {algorithm}, which needs AUTH_JWKS_URL")


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning pydantic's multi-line report into one line that names the setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(part) for part in first.get("loc", ()))
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        prefix = f"{location.upper()}: " if location else ""
        raise ConfigurationError(f"{prefix}{message}") from None
