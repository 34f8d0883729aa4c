"""What each handled event type writes to the mirror (and to the user link)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.models import Customer, Invoice, PaymentMethod, Price, Product, Subscription, User
from tests.webhooks import support as s

SUBSCRIPTION_TYPES = [
    "customer.subscription.created",
    "customer.subscription.updated",
    "customer.subscription.paused",
    "customer.subscription.resumed",
    "customer.subscription.trial_will_end",
]


@pytest.fixture
def send(client, settings):
    async def send(event_type, snapshot, *, created=s.BASE_TIME):
        response = await s.deliver(
            client, s.event(event_type, snapshot, created=created), settings.webhook_secret
        )
        assert response.status_code == 200, response.text
        return response.json()["status"]

    return send


@pytest.mark.parametrize("event_type", SUBSCRIPTION_TYPES)
async def test_subscription_events_mirror_the_subscription(send, event_type):
    snapshot = s.subscription(
        "sub_1", "cus_1", "trialing", quantity=2, nickname="Pro", trial_end=s.BASE_TIME + 600
    )

    assert await send(event_type, snapshot) == "processed"

    row = await Subscription.get(id="sub_1")
    assert (row.customer_id, row.status, row.price_id, row.product_id) == (
        "cus_1",
        "trialing",
        "price_basic",
        "prod_basic",
    )
    assert (row.plan_name, row.quantity, row.cancel_at_period_end) == ("Pro", 2, False)
    assert row.current_period_end == datetime.fromtimestamp(s.BASE_TIME + 30 * 86400, UTC)
    assert row.trial_end == datetime.fromtimestamp(s.BASE_TIME + 600, UTC)
    assert row.created == datetime.fromtimestamp(s.BASE_TIME, UTC)


async def test_subscription_deleted_marks_it_canceled(send):
    await send("customer.subscription.created", s.subscription("sub_1", "cus_1", "active"))

    snapshot = s.subscription("sub_1", "cus_1", "canceled", canceled_at=s.BASE_TIME + 5)
    await send("customer.subscription.deleted", snapshot, created=s.BASE_TIME + 5)

    row = await Subscription.get(id="sub_1")
    assert row.status == "canceled"
    assert row.canceled_at == datetime.fromtimestamp(s.BASE_TIME + 5, UTC)


async def test_a_subscription_without_a_nickname_is_named_after_its_product(send):
    await send("product.created", s.product("prod_basic", "Basic"))

    await send("customer.subscription.created", s.subscription("sub_1", "cus_1", "active"))

    assert (await Subscription.get(id="sub_1")).plan_name == "Basic"


async def test_a_product_arriving_after_its_subscription_still_names_it(send):
    await send("customer.subscription.created", s.subscription("sub_1", "cus_1", "active"))

    await send("product.created", s.product("prod_basic", "Basic"))

    assert (await Subscription.get(id="sub_1")).plan_name == "Basic"


@pytest.mark.parametrize(
    ("nickname", "plan_name"), [("Pro", "Pro"), ("", "Basic+"), (None, "Basic+")]
)
async def test_a_product_rename_renames_the_subscriptions_without_a_nickname(
    send, nickname, plan_name
):
    await send("product.created", s.product("prod_basic", "Basic"))
    subscription = s.subscription("sub_1", "cus_1", "active", nickname=nickname)
    await send("customer.subscription.created", subscription)

    await send("product.updated", s.product("prod_basic", "Basic+"), created=s.BASE_TIME + 1)

    assert (await Subscription.get(id="sub_1")).plan_name == plan_name


@pytest.mark.parametrize(
    ("cancel_at", "cancel_at_period_end", "ends_at_period_end"),
    [
        (None, False, False),
        (s.BASE_TIME + 30 * 86400, True, True),
        (s.BASE_TIME + 30 * 86400, False, True),
        (s.BASE_TIME + 10 * 86400, False, False),
        (s.BASE_TIME + 60 * 86400, False, False),
    ],
    ids=["none", "classic", "flexible", "before-period-end", "after-period-end"],
)
async def test_a_subscription_ends_at_period_end_when_either_field_says_so(
    send, cancel_at, cancel_at_period_end, ends_at_period_end
):
    snapshot = {
        **s.subscription("sub_1", "cus_1", "active", cancel_at_period_end=cancel_at_period_end),
        "cancel_at": cancel_at,
    }

    await send("customer.subscription.updated", snapshot)

    row = await Subscription.get(id="sub_1")
    assert row.cancel_at_period_end is ends_at_period_end
    assert row.cancel_at == (datetime.fromtimestamp(cancel_at, UTC) if cancel_at else None)


async def test_a_period_end_flag_without_cancel_at_ends_at_the_period_end(send):
    snapshot = s.subscription("sub_1", "cus_1", "active", cancel_at_period_end=True)

    await send("customer.subscription.updated", snapshot)

    row = await Subscription.get(id="sub_1")
    assert (row.cancel_at_period_end, row.cancel_at) == (True, row.current_period_end)


async def test_a_subscription_names_its_card_by_id(send):
    snapshot = {**s.subscription("sub_1", "cus_1", "active"), "default_payment_method": "pm_1"}

    await send("customer.subscription.created", snapshot)

    assert (await Subscription.get(id="sub_1")).default_payment_method_id == "pm_1"
    assert not await PaymentMethod.filter(id="pm_1").exists()


async def test_an_expanded_subscription_card_is_mirrored_with_it(send):
    card = s.card("pm_1", "cus_1")
    snapshot = {**s.subscription("sub_1", "cus_1", "active"), "default_payment_method": card}

    await send("customer.subscription.created", snapshot)

    assert (await Subscription.get(id="sub_1")).default_payment_method_id == "pm_1"
    row = await PaymentMethod.get(id="pm_1")
    assert (row.customer_id, row.last4, row.detached) == ("cus_1", "4242", False)


async def test_an_expanded_card_does_not_undo_its_detachment_of_the_same_second(send):
    await send("payment_method.detached", s.card("pm_1", None))
    card = s.card("pm_1", "cus_1")
    snapshot = {**s.subscription("sub_1", "cus_1", "active"), "default_payment_method": card}

    await send("customer.subscription.updated", snapshot)

    assert (await PaymentMethod.get(id="pm_1")).detached


async def test_the_old_period_end_shape_on_the_subscription_is_read_too(send):
    snapshot = s.subscription("sub_1", "cus_1", "active")
    snapshot["current_period_end"] = s.BASE_TIME + 99

    await send("customer.subscription.updated", snapshot)

    row = await Subscription.get(id="sub_1")
    assert row.current_period_end == datetime.fromtimestamp(s.BASE_TIME + 99, UTC)


@pytest.mark.parametrize(
    ("event_type", "status"),
    [
        ("invoice.created", "draft"),
        ("invoice.finalized", "open"),
        ("invoice.updated", "open"),
        ("invoice.payment_failed", "open"),
        ("invoice.paid", "paid"),
    ],
)
async def test_invoice_events_mirror_the_invoice(send, event_type, status):
    await send(event_type, s.invoice("in_1", "cus_1", status, subscription_id="sub_1"))

    row = await Invoice.get(id="in_1")
    assert (row.customer_id, row.subscription_id, row.status, row.currency) == (
        "cus_1",
        "sub_1",
        status,
        "usd",
    )
    assert (row.amount_due, row.amount_paid) == (1500, 1500 if status == "paid" else 0)
    assert row.hosted_invoice_url == "https://invoice.stripe.com/i/in_1"


async def test_an_invoice_with_the_old_subscription_field_is_read_too(send):
    snapshot = {**s.invoice("in_1", "cus_1", "paid"), "subscription": "sub_old"}

    await send("invoice.paid", snapshot)

    assert (await Invoice.get(id="in_1")).subscription_id == "sub_old"


async def test_payment_method_attached_mirrors_the_card(send):
    await send("payment_method.attached", s.card("pm_1", "cus_1"))

    row = await PaymentMethod.get(id="pm_1")
    assert (row.customer_id, row.brand, row.last4, row.exp_month, row.exp_year) == (
        "cus_1",
        "visa",
        "4242",
        12,
        2030,
    )
    assert not row.detached


async def test_a_card_changed_after_its_detachment_stays_detached(send):
    await send("payment_method.detached", s.card("pm_1", None))

    await send("payment_method.updated", s.card("pm_1", None), created=s.BASE_TIME + 1)

    row = await PaymentMethod.get(id="pm_1")
    assert (row.detached, row.customer_id) == (True, None)


async def test_payment_method_detached_marks_the_card_detached(send):
    await send("payment_method.attached", s.card("pm_1", "cus_1"))

    await send("payment_method.detached", s.card("pm_1", None), created=s.BASE_TIME + 1)

    row = await PaymentMethod.get(id="pm_1")
    assert (row.detached, row.customer_id) == (True, None)


@pytest.mark.parametrize("event_type", ["customer.created", "customer.updated"])
async def test_customer_events_mirror_email_and_default_payment_method(send, event_type):
    await send(event_type, s.customer("cus_1", default_payment_method="pm_1"))

    row = await Customer.get(id="cus_1")
    assert (row.email, row.default_payment_method_id, row.deleted) == (
        "ada@example.com",
        "pm_1",
        False,
    )


async def test_a_customer_email_as_long_as_stripe_accepts_is_mirrored_whole(send):
    email = f"{'a' * 64}@{'b' * 443}.com"

    assert await send("customer.updated", s.customer("cus_1", email=email)) == "processed"

    assert (await Customer.get(id="cus_1")).email == email


async def test_a_customer_email_longer_than_stripe_accepts_is_left_out_of_an_applied_event(
    send, caplog
):
    snapshot = s.customer(
        "cus_1", email=f"{'a' * 64}@{'b' * 600}.com", default_payment_method="pm_1"
    )

    assert await send("customer.updated", snapshot) == "processed"

    row = await Customer.get(id="cus_1")
    assert (row.email, row.default_payment_method_id) == (None, "pm_1")
    assert [r.levelname for r in caplog.records if "cus_1" in r.getMessage()] == ["WARNING"]


async def test_customer_deleted_marks_the_customer_deleted(send):
    await send("customer.deleted", s.customer("cus_1"))

    assert (await Customer.get(id="cus_1")).deleted


async def test_a_customer_created_for_a_user_links_that_user(send):
    await send("customer.created", s.customer("cus_1", user_id="user-1"))

    assert await s.linked_customer("user-1") == "cus_1"
    assert (await Customer.get(id="cus_1")).user_external_id == "user-1"


@pytest.mark.parametrize("event_type", ["checkout.session.completed", "checkout.session.expired"])
async def test_checkout_sessions_link_the_customer_by_client_reference_id(send, event_type):
    await User.create(external_id="user-1")

    await send(event_type, s.checkout_session("cs_1", "cus_1", user_id="user-1"))

    assert await s.linked_customer("user-1") == "cus_1"


async def test_checkout_sessions_link_the_customer_by_metadata(send):
    session = s.checkout_session("cs_1", "cus_1", user_id=None, metadata_user_id="user-2")

    await send("checkout.session.completed", session)

    assert await s.linked_customer("user-2") == "cus_1"


async def test_a_user_who_has_a_customer_is_never_given_a_second_one(send):
    await User.create(external_id="user-1", stripe_customer_id="cus_first")

    await send("checkout.session.completed", s.checkout_session("cs_1", "cus_2", user_id="user-1"))

    assert await s.linked_customer("user-1") == "cus_first"
    assert await User.filter(stripe_customer_id="cus_2").count() == 0


async def test_a_customer_that_belongs_to_a_user_is_not_given_to_another(send):
    await User.create(external_id="user-1", stripe_customer_id="cus_1")
    await User.create(external_id="user-2")

    await send("checkout.session.completed", s.checkout_session("cs_1", "cus_1", user_id="user-2"))

    assert await s.linked_customer("user-2") is None
    assert await s.linked_customer("user-1") == "cus_1"


@pytest.mark.parametrize("event_type", ["product.created", "product.updated"])
async def test_product_events_mirror_the_product(send, event_type):
    await send(event_type, s.product("prod_1", "Gold", active=False))

    row = await Product.get(id="prod_1")
    assert (row.name, row.active, row.deleted) == ("Gold", False, False)


async def test_product_deleted_marks_the_product_deleted(send):
    await send("product.deleted", s.product("prod_1", "Gold"))

    assert (await Product.get(id="prod_1")).deleted


@pytest.mark.parametrize("event_type", ["price.created", "price.updated"])
async def test_price_events_mirror_the_price(send, event_type):
    await send(event_type, s.price("price_1", "prod_1", unit_amount=900))

    row = await Price.get(id="price_1")
    assert (row.product_id, row.unit_amount, row.currency, row.interval, row.active) == (
        "prod_1",
        900,
        "usd",
        "month",
        True,
    )


async def test_a_one_time_price_has_no_interval(send):
    await send("price.created", s.price("price_1", "prod_1", interval=None))

    assert (await Price.get(id="price_1")).interval is None


async def test_price_deleted_marks_the_price_deleted(send):
    await send("price.deleted", s.price("price_1", "prod_1"))

    assert (await Price.get(id="price_1")).deleted
