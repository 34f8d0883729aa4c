"""Webhook services built directly, for tests that need a setting or a gateway of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from billing_portal.settings import Settings
from services.stripe_gateway import StripeGateway
from services.webhooks import WebhookService
from simulator.toolkit.servers import free_port

ServiceFactory = Callable[..., WebhookService]


@pytest.fixture
async def webhook_service(settings: Settings) -> AsyncIterator[ServiceFactory]:
    """`webhook_service(refetch=True, stripe_down=False)`: a service on stripe-mock (or nowhere)."""
    gateways: list[StripeGateway] = []

    def build(*, refetch: bool = False, stripe_down: bool = False) -> WebhookService:
        api_base = f"http://127.0.0.1:{free_port()}" if stripe_down else settings.api_base
        gateway = StripeGateway(api_key=settings.api_key, api_base=api_base, max_network_retries=0)
        gateways.append(gateway)
        return WebhookService(
            secret=settings.webhook_secret, stripe=gateway, refetch_objects=refetch
        )

    yield build
    for gateway in gateways:
        await gateway.close()
