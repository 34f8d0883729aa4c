"""WEBHOOK_REFETCH_OBJECTS: the mirror takes Stripe's current object, not the event's copy."""

from __future__ import annotations

from services.models import Customer, Subscription
from services.webhooks import Outcome
from services.webhooks.events import parse_event
from tests.webhooks import support as s


async def test_a_refetched_subscription_is_what_stripe_returns_now(webhook_service):
    service = webhook_service(refetch=True)
    stale = s.subscription("sub_refetch", "cus_stale", "incomplete", quantity=7)
    current = await service.stripe.call(lambda v1: v1.subscriptions.retrieve_async("sub_refetch"))

    outcome = await service.ingest(
        parse_event(s.event("customer.subscription.updated", stale, created=s.BASE_TIME))
    )

    assert outcome is Outcome.PROCESSED
    row = await Subscription.get(id="sub_refetch")
    assert (row.customer_id, row.status, row.quantity) == (
        current.customer,
        current.status,
        current["items"].data[0].quantity,
    )
    assert row.customer_id != "cus_stale"


async def test_a_refetched_customer_is_what_stripe_returns_now(webhook_service):
    service = webhook_service(refetch=True)
    stale = s.customer("cus_refetch", email="stale@example.com")
    current = await service.stripe.call(lambda v1: v1.customers.retrieve_async("cus_refetch"))

    await service.ingest(parse_event(s.event("customer.updated", stale, created=s.BASE_TIME)))

    assert (await Customer.get(id="cus_refetch")).email == current.email


async def test_a_deleted_object_is_taken_from_the_event_because_it_cannot_be_fetched(
    webhook_service,
):
    service = webhook_service(refetch=True, stripe_down=True)
    snapshot = s.subscription("sub_gone", "cus_1", "canceled")

    outcome = await service.ingest(
        parse_event(s.event("customer.subscription.deleted", snapshot, created=s.BASE_TIME))
    )

    assert outcome is Outcome.PROCESSED
    assert (await Subscription.get(id="sub_gone")).status == "canceled"
