"""Several instances on one PostgreSQL: a change one applies reaches subscribers of another."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from billing_portal.settings import Settings
from services.models import User
from tests.live.support import Instance, running, subscribed
from tests.webhooks.support import subscription

pytestmark = pytest.mark.postgres_only


@pytest.fixture
async def instances(settings: Settings, database: str) -> AsyncIterator[tuple[Instance, Instance]]:
    """Two instances of the service on the suite's database, each listening on its own."""
    await User.create(external_id="user-1", stripe_customer_id="cus_1")
    await User.create(external_id="user-2", stripe_customer_id="cus_2")
    async with running(settings) as first, running(settings) as second:
        yield first, second


async def test_a_webhook_applied_by_one_instance_is_pushed_by_another(instances, token_for):
    first, second = instances
    async with subscribed(second, token_for("user-1")) as client:
        await first.deliver(
            "customer.subscription.created", subscription("sub_1", "cus_1", "active"), created=1
        )

        viewer = await client.next_viewer()

    assert viewer["subscriptions"] == [{"id": "sub_1", "status": "ACTIVE"}]


async def test_another_users_change_on_another_instance_pushes_nothing(instances, token_for):
    first, second = instances
    async with subscribed(second, token_for("user-1")) as client:
        await first.deliver(
            "customer.subscription.created", subscription("sub_2", "cus_2", "active"), created=1
        )

        await client.nothing_within()
