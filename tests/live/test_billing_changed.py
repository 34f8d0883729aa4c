"""billingChanged pushes the viewer's billing when their part of the mirror changes, and only
then: webhooks, the first link to a customer, `sync`; never another user's change."""

from __future__ import annotations

from services.models import User
from tests.live.support import subscribed
from tests.webhooks.support import BASE_TIME, checkout_session, customer, subscription


async def test_a_subscription_first_answers_the_viewer_as_it_is(instance, token_for, database):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")

    async with subscribed(instance, token_for("user-1")) as client:
        assert client.first == {
            "id": "user-1",
            "customerId": "cus_1",
            "hasActiveSubscription": False,
            "subscriptions": [],
        }


async def test_an_applied_webhook_pushes_the_viewer_again(instance, token_for, database):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")

    async with subscribed(instance, token_for("user-1")) as client:
        await instance.deliver(
            "customer.subscription.created",
            subscription("sub_1", "cus_1", "active"),
            created=BASE_TIME,
        )

        viewer = await client.next_viewer()

    assert viewer["hasActiveSubscription"] is True
    assert viewer["subscriptions"] == [{"id": "sub_1", "status": "ACTIVE"}]


async def test_another_users_change_pushes_nothing(instance, token_for, database):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")
    await User.create(external_id="user-2", stripe_customer_id="cus_2")

    async with subscribed(instance, token_for("user-1")) as client:
        await instance.deliver(
            "customer.subscription.created",
            subscription("sub_2", "cus_2", "active"),
            created=BASE_TIME,
        )

        await client.nothing_within()


async def test_a_user_without_a_customer_hears_their_first_checkout(instance, token_for, database):
    async with subscribed(instance, token_for("user-1")) as client:
        assert client.first["customerId"] is None
        await instance.deliver(
            "checkout.session.completed",
            checkout_session("cs_1", "cus_new", user_id="user-1"),
            created=BASE_TIME,
        )
        linked = await client.next_viewer()
        await instance.deliver(
            "customer.subscription.created",
            subscription("sub_1", "cus_new", "active"),
            created=BASE_TIME + 1,
        )
        subscribed_now = await client.next_viewer()

    assert linked["customerId"] == "cus_new"
    assert subscribed_now["subscriptions"] == [{"id": "sub_1", "status": "ACTIVE"}]


async def test_a_customer_created_for_the_user_links_them_live(instance, token_for, database):
    async with subscribed(instance, token_for("user-1")) as client:
        await instance.deliver(
            "customer.created", customer("cus_new", user_id="user-1"), created=BASE_TIME
        )

        viewer = await client.next_viewer()

    assert viewer["customerId"] == "cus_new"


async def test_a_sync_of_the_customer_pushes_the_viewer_again(instance, token_for, database):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")

    async with subscribed(instance, token_for("user-1")) as client:
        await instance.services.sync.run(customer_id="cus_1")

        viewer = await client.next_viewer()

    assert viewer["customerId"] == "cus_1"
