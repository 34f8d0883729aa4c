"""`billing-portal sync` rebuilds the mirror from Stripe (stripe-mock) beside webhooks."""

from __future__ import annotations

import time

import pytest

from services.mirror.ordering import SYNC_MARGIN_SECONDS
from services.mirror.sync import MirrorSync
from services.models import Customer, Invoice, PaymentMethod, Price, Product, Subscription
from services.stripe_gateway import StripeGateway
from services.webhooks.events import parse_event
from tests.webhooks import support as s


@pytest.fixture
async def gateway(settings):
    stripe_gateway = StripeGateway(api_key=settings.api_key, api_base=settings.api_base)
    yield stripe_gateway
    await stripe_gateway.close()


@pytest.fixture
async def listed(gateway):
    """What stripe-mock's lists hold: one object of each kind."""

    async def first(list_call):
        page = await gateway.call(list_call)
        return page.data[0]

    return {
        "customer": await first(lambda v1: v1.customers.list_async()),
        "subscription": await first(lambda v1: v1.subscriptions.list_async({"status": "all"})),
        "product": await first(lambda v1: v1.products.list_async()),
        "price": await first(lambda v1: v1.prices.list_async()),
        "card": await first(lambda v1: v1.customers.payment_methods.list_async("cus_any")),
        "invoice": await first(lambda v1: v1.invoices.list_async()),
    }


async def test_sync_mirrors_every_kind_of_object(gateway, listed):
    report = await MirrorSync(gateway).run()

    assert report.stored == {
        "products": 1,
        "prices": 1,
        "customers": 1,
        "payment_methods": 1,
        "subscriptions": 1,
        "invoices": 1,
        "entitlement_summaries": 1,
        "charges": 1,
    }
    subscription = await Subscription.get(id=listed["subscription"].id)
    assert (subscription.status, subscription.price_id) == (
        listed["subscription"].status,
        listed["subscription"]["items"].data[0].price.id,
    )
    assert await Customer.filter(id=listed["customer"].id).exists()
    assert (await Product.get(id=listed["product"].id)).name == listed["product"].name
    assert (await Price.get(id=listed["price"].id)).unit_amount == listed["price"].unit_amount
    invoice = await Invoice.get(id=listed["invoice"].id)
    assert (invoice.status, invoice.amount_due) == (
        listed["invoice"].status,
        listed["invoice"].amount_due,
    )
    card = await PaymentMethod.get(id=listed["card"].id)
    assert (card.last4, card.detached) == (listed["card"].card.last4, False)


class FlexibleCheckoutStripe(StripeGateway):
    """stripe-mock, whose subscriptions read as Stripe renders one that Checkout created in
    flexible billing mode and the portal then cancelled: Checkout's card on the subscription,
    `cancel_at` at the period end and `cancel_at_period_end` false."""

    async def call(self, operation):
        result = await super().call(operation)
        for listed_object in getattr(result, "data", None) or []:
            if listed_object.object == "subscription":
                period_end = listed_object["items"].data[0].current_period_end
                listed_object["cancel_at"] = period_end
                listed_object["cancel_at_period_end"] = False
                listed_object["default_payment_method"] = "pm_checkout"
        return result


async def test_sync_rebuilds_a_scheduled_cancellation_and_the_subscriptions_card(settings):
    stripe_gateway = FlexibleCheckoutStripe(api_key=settings.api_key, api_base=settings.api_base)
    try:
        await MirrorSync(stripe_gateway).run()
    finally:
        await stripe_gateway.close()

    [subscription] = await Subscription.all()
    assert subscription.cancel_at_period_end
    assert subscription.cancel_at == subscription.current_period_end
    assert subscription.default_payment_method_id == "pm_checkout"


async def test_sync_stores_a_customers_listed_cards_as_attached_to_it(gateway, listed):
    await MirrorSync(gateway).run(customer_id="cus_only")

    card = await PaymentMethod.get(id=listed["card"].id)
    assert (card.customer_id, card.detached) == ("cus_only", False)


async def test_sync_names_subscriptions_after_the_products_it_stored(gateway, listed):
    await MirrorSync(gateway).run()

    subscription = await Subscription.get(id=listed["subscription"].id)
    assert subscription.plan_name == listed["product"].name


async def test_running_sync_twice_leaves_the_same_mirror(gateway):
    await MirrorSync(gateway).run()
    first = await s.mirror_state()

    await MirrorSync(gateway).run()

    second = await s.mirror_state()
    strip = lambda state: {  # noqa: E731 - the version columns move on with each run
        table: [{k: v for k, v in row.items() if not k.startswith("source_")} for row in rows]
        for table, rows in state.items()
    }
    assert strip(second) == strip(first)


async def test_sync_of_one_customer_stores_only_that_customer(gateway):
    report = await MirrorSync(gateway).run(customer_id="cus_only")

    assert set(report.stored) == {
        "customers",
        "payment_methods",
        "entitlement_summaries",
        "subscriptions",
        "invoices",
        "charges",
    }
    assert await Customer.filter(id="cus_only").count() == 1
    assert await Product.all().count() == 0


async def test_sync_reports_progress_for_every_object(gateway):
    seen: list[str] = []

    report = await MirrorSync(gateway).run(progress=seen.append)

    assert len(seen) == sum(report.stored.values())


async def test_an_event_from_just_before_a_sync_still_applies_after_it(
    gateway, listed, webhook_service
):
    await MirrorSync(gateway).run()
    subscription_id = listed["subscription"].id
    snapshot = s.subscription(subscription_id, "cus_1", "past_due")
    recent = s.event("customer.subscription.updated", snapshot, created=int(time.time()) - 5)

    await webhook_service().ingest(parse_event(recent))

    assert (await Subscription.get(id=subscription_id)).status == "past_due"


async def test_an_old_event_delivered_after_a_sync_does_not_undo_it(
    gateway, listed, webhook_service
):
    await MirrorSync(gateway).run()
    subscription_id = listed["subscription"].id
    snapshot = s.subscription(subscription_id, "cus_1", "past_due")
    old = int(time.time()) - SYNC_MARGIN_SECONDS - 60
    late = s.event("customer.subscription.updated", snapshot, created=old)

    await webhook_service().ingest(parse_event(late))

    assert (await Subscription.get(id=subscription_id)).status == listed["subscription"].status


async def test_sync_does_not_undo_an_event_of_the_last_minute(gateway, listed, webhook_service):
    subscription_id = listed["subscription"].id
    snapshot = s.subscription(subscription_id, "cus_1", "past_due")
    recent = s.event("customer.subscription.updated", snapshot, created=int(time.time()) - 5)
    await webhook_service().ingest(parse_event(recent))

    await MirrorSync(gateway).run()

    assert (await Subscription.get(id=subscription_id)).status == "past_due"


async def test_the_active_catalog_stores_each_price_with_its_product(gateway, listed):
    report = await MirrorSync(gateway).active_catalog()

    assert report.stored == {"products": 1, "prices": 1}
    price = await Price.get(id=listed["price"].id)
    assert await Product.filter(id=price.product_id).exists()


async def test_the_active_catalog_does_not_undo_a_price_event_of_the_last_minute(
    gateway, listed, webhook_service
):
    price_id = listed["price"].id
    snapshot = s.price(price_id, "prod_basic", unit_amount=4242)
    recent = s.event("price.updated", snapshot, created=int(time.time()) - 5)
    await webhook_service().ingest(parse_event(recent))

    await MirrorSync(gateway).active_catalog()

    assert (await Price.get(id=price_id)).unit_amount == 4242
