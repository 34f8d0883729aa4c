"""Out-of-order deliveries: the newer snapshot wins whatever order the events arrive in."""

from __future__ import annotations

import pytest

from services.models import Invoice, PaymentMethod, Product, Subscription
from tests.support import graphql
from tests.webhooks import support as s

T = s.BASE_TIME


@pytest.fixture
def send(client, settings):
    async def send(body):
        response = await s.deliver(client, body, settings.webhook_secret)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == "processed"

    return send


def _sub_event(event_type, status, created, **fields):
    return s.event(event_type, s.subscription("sub_1", "cus_1", status, **fields), created=created)


async def test_updated_before_created_keeps_the_update(send):
    await send(_sub_event("customer.subscription.updated", "active", T + 1))
    await send(_sub_event("customer.subscription.created", "incomplete", T))

    assert (await Subscription.get(id="sub_1")).status == "active"


async def test_deleted_before_updated_stays_canceled(send):
    await send(_sub_event("customer.subscription.deleted", "canceled", T + 2))
    await send(_sub_event("customer.subscription.updated", "active", T + 1))

    assert (await Subscription.get(id="sub_1")).status == "canceled"


async def test_a_deletion_in_the_same_second_as_an_update_wins(send):
    await send(_sub_event("customer.subscription.deleted", "canceled", T))
    await send(_sub_event("customer.subscription.updated", "active", T, cancel_at_period_end=True))

    assert (await Subscription.get(id="sub_1")).status == "canceled"


async def test_an_update_in_the_same_second_as_the_creation_wins(send):
    await send(_sub_event("customer.subscription.updated", "active", T))
    await send(_sub_event("customer.subscription.created", "incomplete", T))

    assert (await Subscription.get(id="sub_1")).status == "active"


async def test_a_flexible_cancellation_outranks_the_same_status_without_one_in_its_second(send):
    scheduled = s.subscription("sub_1", "cus_1", "active")
    scheduled["cancel_at"] = scheduled["items"]["data"][0]["current_period_end"]
    cancel = s.event("customer.subscription.updated", scheduled, created=T, event_id="evt_a")
    plain = s.subscription("sub_1", "cus_1", "active")
    activation = s.event("customer.subscription.updated", plain, created=T, event_id="evt_b")

    await send(activation)
    await send(cancel)

    assert (await Subscription.get(id="sub_1")).cancel_at_period_end


async def test_payment_failed_before_paid_leaves_the_invoice_paid(send):
    await send(s.event("invoice.paid", s.invoice("in_1", "cus_1", "paid"), created=T + 1))
    await send(s.event("invoice.payment_failed", s.invoice("in_1", "cus_1", "open"), created=T))

    assert (await Invoice.get(id="in_1")).status == "paid"


async def test_paid_and_payment_failed_in_the_same_second_leave_it_paid(send):
    await send(s.event("invoice.paid", s.invoice("in_1", "cus_1", "paid"), created=T))
    await send(s.event("invoice.payment_failed", s.invoice("in_1", "cus_1", "open"), created=T))

    assert (await Invoice.get(id="in_1")).status == "paid"


async def test_an_older_attach_does_not_undo_a_detach(send):
    await send(s.event("payment_method.detached", s.card("pm_1", None), created=T + 1))
    await send(s.event("payment_method.attached", s.card("pm_1", "cus_1"), created=T))

    assert (await PaymentMethod.get(id="pm_1")).detached


async def test_an_older_product_update_does_not_undo_a_rename(send):
    await send(s.event("product.updated", s.product("prod_1", "Gold"), created=T + 1))
    await send(s.event("product.updated", s.product("prod_1", "Silver"), created=T))

    assert (await Product.get(id="prod_1")).name == "Gold"


async def test_same_second_same_rank_snapshots_resolve_by_event_id_in_any_order(send):
    a = s.event("product.updated", s.product("prod_1", "A"), created=T, event_id="evt_a")
    b = s.event("product.updated", s.product("prod_1", "B"), created=T, event_id="evt_b")

    await send(b)
    await send(a)

    assert (await Product.get(id="prod_1")).name == "B"


async def test_an_event_for_an_unknown_customer_is_mirrored_and_linked_later(send):
    await send(_sub_event("customer.subscription.created", "active", T))
    assert await Subscription.filter(customer_id="cus_1").count() == 1
    assert await s.linked_customer("user-1") is None

    session = s.checkout_session("cs_1", "cus_1", user_id="user-1")
    await send(s.event("checkout.session.completed", session, created=T + 1))

    assert await s.linked_customer("user-1") == "cus_1"
    assert await Subscription.filter(customer_id="cus_1").count() == 1


async def test_the_viewer_sees_a_subscription_that_arrived_before_the_link(client, send, token_for):
    await send(_sub_event("customer.subscription.created", "active", T))
    session = s.checkout_session("cs_1", "cus_1", user_id="user-1")
    await send(s.event("checkout.session.completed", session, created=T + 1))

    body = await graphql(
        client,
        "query { viewer { customerId hasActiveSubscription subscriptions { id status } } }",
        token=token_for("user-1"),
    )

    assert body["data"]["viewer"] == {
        "customerId": "cus_1",
        "hasActiveSubscription": True,
        "subscriptions": [{"id": "sub_1", "status": "ACTIVE"}],
    }
