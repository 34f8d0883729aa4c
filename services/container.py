"""The services one running app holds, built once from settings (explicit dependencies)."""

from __future__ import annotations

from dataclasses import dataclass

from billing_portal.settings import Settings
from services.auth import TokenVerifier
from services.stripe_gateway import StripeGateway


@dataclass(slots=True)
class Services:
    settings: Settings
    stripe: StripeGateway
    tokens: TokenVerifier

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        return cls(
            settings=settings,
            stripe=StripeGateway(
                api_key=settings.api_key,
                api_base=settings.api_base,
                max_network_retries=settings.stripe_max_network_retries,
                timeout_seconds=settings.stripe_timeout_seconds,
            ),
            tokens=TokenVerifier(
                secret=settings.jwt_secret,
                audience=settings.auth_jwt_audience,
                issuer=settings.auth_jwt_issuer,
            ),
        )

    async def close(self) -> None:
        await self.stripe.close()
