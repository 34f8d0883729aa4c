"""Configuration from the environment (and `.env`), as the README's Configuration table lists it.

Defaults exist only outside prod, and they point at stripe-mock with a test key, so a developer
machine can never reach (or charge) a live Stripe account by accident.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from services.mirror.ownership import MAX_PAST_DUE_GRACE_DAYS
from services.stripe_gateway import (
    DEFAULT_DEADLINE_SECONDS,
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

_REQUIRED_IN_PROD = ("stripe_api_key", "stripe_webhook_secret", "auth_jwt_secret")


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
    webhook_refetch_objects: bool = False
    webhook_batch_max_events: int = Field(default=DEFAULT_BATCH_MAX_EVENTS, ge=1, le=10_000)
    webhook_batch_max_wait_ms: float = Field(default=0.0, ge=0, le=1000)
    auth_jwt_secret: str | None = None
    auth_jwt_audience: str | None = None
    auth_jwt_issuer: str | None = None
    allowed_redirect_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)
    cors_allow_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    rate_limit_sessions_per_minute: int = Field(default=30, ge=0)
    past_due_grace_days: int = Field(default=0, ge=0, le=MAX_PAST_DUE_GRACE_DAYS)
    refund_ends_purchase: bool = True

    _split = field_validator("allowed_redirect_hosts", "cors_allow_origins", mode="before")(
        _split_csv
    )

    @model_validator(mode="before")
    @classmethod
    def _fill_environment_defaults(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        values = {key.lower(): value for key, value in data.items()}
        if values.get("billing_env", "dev") == "prod":
            missing = [name for name in _REQUIRED_IN_PROD if not values.get(name)]
            if not values.get("allowed_redirect_hosts"):
                missing.append("allowed_redirect_hosts")
            if missing:
                names = ", ".join(name.upper() for name in missing)
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

    @property
    def is_prod(self) -> bool:
        return self.billing_env == "prod"

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
        assert self.auth_jwt_secret is not None
        return self.auth_jwt_secret


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
