"""Webhook services from the composition root, for tests that need a setting or a Stripe of their
own (re-reading objects, or a Stripe that is down)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from billing_portal.bootstrap import bootstrap
from billing_portal.settings import Settings
from services.container import Services
from services.webhooks import WebhookService
from simulator.toolkit.servers import free_port

ServiceFactory = Callable[..., WebhookService]


@pytest.fixture
async def webhook_service(settings: Settings) -> AsyncIterator[ServiceFactory]:
    """`webhook_service(refetch=True, stripe_down=False)`: a service on stripe-mock (or nowhere)."""
    built: list[Services] = []

    def build(*, refetch: bool = False, stripe_down: bool = False) -> WebhookService:
        overrides: dict[str, object] = {
            "webhook_refetch_objects": refetch,
            "stripe_max_network_retries": 0,
        }
        if stripe_down:
            overrides["stripe_api_base"] = f"http://127.0.0.1:{free_port()}"
        services = bootstrap(settings.model_copy(update=overrides))
        built.append(services)
        return services.webhooks

    yield build
    for services in built:
        await services.close()
