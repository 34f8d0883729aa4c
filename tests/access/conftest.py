"""Fixtures for the access tests: the catalog, a Stripe that answers with it, the groups an admin
saved, and delivery of events to the app's webhook service."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from billing_portal.bootstrap import stripe_gateway_for
from billing_portal.settings import Settings
from services.access_groups import GroupDefinition
from services.container import Services
from services.models import User
from services.webhooks.events import parse_event
from tests.access.support import BASIC, EBOOK, PRO, CatalogStripe, seed_catalog

# One group of each condition, over the test catalog.
GROUPS = (
    GroupDefinition("subscribers", "Subscribers", "is_one_of", (BASIC, PRO)),
    GroupDefinition("readers", "E-book readers", "is_one_of", (EBOOK,)),
    GroupDefinition("free", "Free users", "is_none_of", (BASIC, PRO, EBOOK)),
    GroupDefinition("pro-readers", "Pro with the e-book", "has_all_of", (PRO, EBOOK)),
)
Deliver = Callable[[Iterable[dict[str, Any]]], Any]


@pytest.fixture
def stripe_gateway(settings: Settings) -> CatalogStripe:
    return stripe_gateway_for(settings, CatalogStripe)


@pytest.fixture
async def catalog(database: str) -> None:
    await seed_catalog()


@pytest.fixture
async def groups(catalog: None, services: Services) -> None:
    for definition in GROUPS:
        await services.access_groups.save(definition)


@pytest.fixture
def deliver(services: Services) -> Deliver:
    """`await deliver(events)`: each event ingested by the app's webhook service, in order."""

    async def ingest_all(events: Iterable[dict[str, Any]]) -> None:
        for body in events:
            await services.webhooks.ingest(parse_event(body))

    return ingest_all


@pytest.fixture
def admin_token(token_for: Callable[..., str]) -> str:
    return token_for("admin-1", email="admin@example.com", admin=True)


async def linked_user(user_id: str, customer_id: str) -> None:
    """A user whose Stripe customer the service created (and linked) at their first checkout."""
    await User.create(external_id=user_id, stripe_customer_id=customer_id)
