"""The billing-changes port: a subscriber hears the topics it follows, once however many changes
came, and on PostgreSQL keeps hearing them across a lost listening connection."""

from __future__ import annotations

import asyncio

import pytest
from tortoise import connections

from services.notifications import BillingChanges, customer_topic, user_topic
from services.notifications.postgres import LISTENER_NAME, PostgresBillingChanges

HEARD_WITHIN_SECONDS = 5.0
QUIET_SECONDS = 0.3


async def heard(inbox) -> bool:
    try:
        await asyncio.wait_for(inbox.wait(), QUIET_SECONDS)
    except TimeoutError:
        return False
    return True


async def test_a_burst_of_changes_rings_a_subscriber_once():
    changes = BillingChanges()
    async with changes.subscribe(customer_topic("cus_1")) as inbox:
        for _ in range(1000):
            changes.publish([customer_topic("cus_1")])

        assert await heard(inbox)
        assert not await heard(inbox)


async def test_a_subscriber_hears_only_the_topics_it_follows():
    changes = BillingChanges()
    async with changes.subscribe(user_topic("user-1")) as inbox:
        changes.publish([customer_topic("cus_1"), user_topic("user-2")])
        assert not await heard(inbox)

        inbox.follow(customer_topic("cus_1"))
        changes.publish([customer_topic("cus_1")])
        assert await heard(inbox)


@pytest.mark.postgres_only
async def test_a_change_published_by_one_instance_reaches_the_other(database):
    publisher, listener = PostgresBillingChanges(database), PostgresBillingChanges(database)
    try:
        async with listener.subscribe(customer_topic("cus_1")) as inbox:
            publisher.publish([customer_topic("cus_1")])

            await asyncio.wait_for(inbox.wait(), HEARD_WITHIN_SECONDS)
    finally:
        await publisher.close()
        await listener.close()


@pytest.mark.postgres_only
async def test_a_lost_listener_is_replaced_and_its_subscribers_are_rung(database):
    changes = PostgresBillingChanges(database)
    try:
        async with changes.subscribe(customer_topic("cus_1")) as inbox:
            await connections.get("default").execute_query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = $1",
                [LISTENER_NAME],
            )
            await asyncio.wait_for(inbox.wait(), HEARD_WITHIN_SECONDS)  # what it may have missed

            changes.publish([customer_topic("cus_1")])
            await asyncio.wait_for(inbox.wait(), HEARD_WITHIN_SECONDS)
    finally:
        await changes.close()
