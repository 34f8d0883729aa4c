"""The services one running app holds, built once from settings (explicit dependencies)."""

from __future__ import annotations

from dataclasses import dataclass

from billing_portal.settings import Settings
from services.api import ApiServices
from services.auth import TokenVerifier
from services.stripe_gateway import StripeGateway
from services.webhooks import WebhookService


@dataclass(slots=True)
class Services:
    settings: Settings
    stripe: StripeGateway
    tokens: TokenVerifier
    api: ApiServices
    webhooks: WebhookService

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        stripe = StripeGateway(
            api_key=settings.api_key,
            api_base=settings.api_base,
            max_network_retries=settings.stripe_max_network_retries,
            timeout_seconds=settings.stripe_timeout_seconds,
        )
        return cls(
            settings=settings,
            stripe=stripe,
            tokens=TokenVerifier(
                secret=settings.jwt_secret,
                audience=settings.auth_jwt_audience,
                issuer=settings.auth_jwt_issuer,
            ),
            api=ApiServices.build(settings, stripe),
            webhooks=WebhookService(
                secret=settings.webhook_secret,
                stripe=stripe,
                refetch_objects=settings.webhook_refetch_objects,
            ),
        )

    async def close(self) -> None:
        await self.stripe.close()
