"""The viewer's billing state, read from the mirror the webhooks fill (seeded here directly)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.mirror import plans
from services.models import Customer, Invoice, PaymentMethod, Subscription, User
from tests.api.conftest import (
    BASIC_PRICE,
    BASIC_PRODUCT,
    PRO_PRICE,
    PRO_PRODUCT,
    user_with_customer,
)
from tests.support import error_codes, graphql

NOW = datetime(2026, 11, 1, tzinfo=UTC)
SUBSCRIPTIONS = """
query ($statuses: [SubscriptionStatus!]) {
  viewer {
    subscriptions(statuses: $statuses) {
      id status priceId productId planName quantity currentPeriodEnd cancelAtPeriodEnd
      cancelAt canceledAt trialEnd
    }
  }
}
"""
HAS_ACTIVE = """
query ($productId: String, $priceId: String) {
  viewer { hasActiveSubscription(productId: $productId, priceId: $priceId) }
}
"""
INVOICES = """
query ($limit: Int) {
  viewer {
    invoices(limit: $limit) { id status amountDue amountPaid currency created hostedInvoiceUrl }
  }
}
"""
EVERYTHING = (
    "query { viewer { subscriptions { id } hasActiveSubscription invoices { id }"
    " defaultPaymentMethod { id } } }"
)
NOTHING = {
    "subscriptions": [],
    "hasActiveSubscription": False,
    "invoices": [],
    "defaultPaymentMethod": None,
}
PAYMENT_METHOD = "query { viewer { defaultPaymentMethod { id brand last4 expMonth expYear } } }"
VISA = {"brand": "visa", "last4": "4242", "expMonth": 12, "expYear": 2030}


async def subscription(customer_id: str, id_: str, status: str, price_id: str = BASIC_PRICE, **kw):
    defaults = {"created": NOW, "quantity": 1}
    return await Subscription.create(
        id=id_, customer_id=customer_id, status=status, price_id=price_id, **{**defaults, **kw}
    )


async def card(id_: str, customer_id: str | None = "cus_1", **kw) -> PaymentMethod:
    defaults = {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}
    return await PaymentMethod.create(id=id_, customer_id=customer_id, **{**defaults, **kw})


async def viewer_card(client, token) -> str | None:
    body = await graphql(client, PAYMENT_METHOD, token=token)
    method = body["data"]["viewer"]["defaultPaymentMethod"]
    return method["id"] if method else None


async def test_a_viewer_without_a_billing_account_has_nothing(client, token_for):
    body = await graphql(
        client,
        EVERYTHING,
        token=token_for("user-1"),
    )

    assert body["data"]["viewer"] == NOTHING


async def test_subscriptions_come_newest_first_with_their_plan(client, token_for, catalog):
    await user_with_customer("user-1", "cus_1")
    await subscription(
        "cus_1",
        "sub_old",
        "canceled",
        created=NOW - timedelta(days=40),
        canceled_at=NOW - timedelta(days=10),
    )
    await subscription(
        "cus_1",
        "sub_new",
        "trialing",
        price_id=PRO_PRICE,
        quantity=3,
        trial_end=NOW + timedelta(days=14),
        current_period_end=NOW + timedelta(days=14),
    )

    body = await graphql(client, SUBSCRIPTIONS, token=token_for("user-1"))

    assert body["data"]["viewer"]["subscriptions"] == [
        {
            "id": "sub_new",
            "status": "TRIALING",
            "priceId": PRO_PRICE,
            "productId": PRO_PRODUCT,
            "planName": "Pro",
            "quantity": 3,
            "currentPeriodEnd": "2026-11-15T00:00:00+00:00",
            "cancelAtPeriodEnd": False,
            "cancelAt": None,
            "canceledAt": None,
            "trialEnd": "2026-11-15T00:00:00+00:00",
        },
        {
            "id": "sub_old",
            "status": "CANCELED",
            "priceId": BASIC_PRICE,
            "productId": BASIC_PRODUCT,
            "planName": "Basic",
            "quantity": 1,
            "currentPeriodEnd": None,
            "cancelAtPeriodEnd": False,
            "cancelAt": None,
            "canceledAt": "2026-10-22T00:00:00+00:00",
            "trialEnd": None,
        },
    ]


async def test_the_plan_name_the_webhook_stored_wins_over_the_catalog(client, token_for, catalog):
    await user_with_customer("user-1", "cus_1")
    await subscription("cus_1", "sub_1", "active", product_id="prod_x", plan_name="Gold")

    body = await graphql(client, SUBSCRIPTIONS, token=token_for("user-1"))

    [row] = body["data"]["viewer"]["subscriptions"]
    assert (row["productId"], row["planName"]) == ("prod_x", "Gold")


async def test_a_subscription_reads_its_instants_in_utc_and_its_scheduled_cancellation(
    client, token_for, catalog
):
    await user_with_customer("user-1", "cus_1")
    berlin = timezone(timedelta(hours=1))
    period_end = datetime(2026, 12, 1, 1, 30, tzinfo=berlin)
    await subscription(
        "cus_1",
        "sub_1",
        "active",
        current_period_end=period_end,
        cancel_at_period_end=True,
        cancel_at=period_end,
    )

    body = await graphql(client, SUBSCRIPTIONS, token=token_for("user-1"))

    [row] = body["data"]["viewer"]["subscriptions"]
    assert row["currentPeriodEnd"] == row["cancelAt"] == "2026-12-01T00:30:00+00:00"
    assert row["cancelAtPeriodEnd"] is True


async def test_subscriptions_filter_by_status(client, token_for, catalog):
    await user_with_customer("user-1", "cus_1")
    await subscription("cus_1", "sub_active", "active")
    await subscription("cus_1", "sub_due", "past_due")
    await subscription("cus_1", "sub_gone", "canceled")

    body = await graphql(
        client, SUBSCRIPTIONS, {"statuses": ["ACTIVE", "PAST_DUE"]}, token=token_for("user-1")
    )

    ids = {row["id"] for row in body["data"]["viewer"]["subscriptions"]}
    assert ids == {"sub_active", "sub_due"}


async def test_plan_names_of_many_subscriptions_cost_one_catalog_lookup(
    client, token_for, catalog, monkeypatch
):
    await user_with_customer("user-1", "cus_1")
    for index in range(6):
        await subscription(
            "cus_1", f"sub_{index}", "active", price_id=(BASIC_PRICE, PRO_PRICE)[index % 2]
        )
    batches = []
    original = plans.plans_of_prices

    async def counting(price_ids):
        batches.append(list(price_ids))
        return await original(price_ids)

    monkeypatch.setattr(plans, "plans_of_prices", counting)
    body = await graphql(client, SUBSCRIPTIONS, token=token_for("user-1"))

    assert len(body["data"]["viewer"]["subscriptions"]) == 6
    assert len(batches) == 1
    assert sorted(batches[0]) == sorted({BASIC_PRICE, PRO_PRICE})


@pytest.mark.parametrize(
    ("status", "entitled"),
    [
        ("active", True),
        ("trialing", True),
        ("past_due", False),
        ("canceled", False),
        ("incomplete", False),
        ("unpaid", False),
        ("paused", False),
    ],
)
async def test_only_active_or_trialing_counts_as_active(
    client, token_for, catalog, status, entitled
):
    await user_with_customer("user-1", "cus_1")
    await subscription("cus_1", "sub_1", status)

    body = await graphql(client, HAS_ACTIVE, token=token_for("user-1"))

    assert body["data"]["viewer"]["hasActiveSubscription"] is entitled


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"productId": BASIC_PRODUCT}, True),
        ({"productId": PRO_PRODUCT}, False),
        ({"productId": "prod_unknown"}, False),
        ({"priceId": BASIC_PRICE}, True),
        ({"priceId": PRO_PRICE}, False),
        ({"productId": BASIC_PRODUCT, "priceId": BASIC_PRICE}, True),
        ({"productId": BASIC_PRODUCT, "priceId": PRO_PRICE}, False),
    ],
)
async def test_active_subscription_by_product_or_price(
    client, token_for, catalog, variables, expected
):
    """The row has no product id (an older snapshot): the catalog knows the price's product."""
    await user_with_customer("user-1", "cus_1")
    await subscription("cus_1", "sub_1", "active", product_id=None)

    body = await graphql(client, HAS_ACTIVE, variables, token=token_for("user-1"))

    assert body["data"]["viewer"]["hasActiveSubscription"] is expected


async def test_a_user_never_sees_another_users_billing(client, token_for, catalog):
    await user_with_customer("user-a", "cus_a")
    await user_with_customer("user-b", "cus_b")
    await subscription("cus_b", "sub_b", "active")
    await Invoice.create(id="in_b", customer_id="cus_b", status="paid", currency="usd", created=NOW)
    await PaymentMethod.create(id="pm_b", customer_id="cus_b", brand="visa", last4="4242")
    await Customer.create(id="cus_b", default_payment_method_id="pm_b")

    body = await graphql(
        client,
        EVERYTHING,
        token=token_for("user-a"),
    )

    assert body["data"]["viewer"] == NOTHING


async def test_the_default_payment_method_is_the_customers_current_card(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await card("pm_1")
    await Customer.create(id="cus_1", default_payment_method_id="pm_1")

    body = await graphql(client, PAYMENT_METHOD, token=token_for("user-1"))

    assert body["data"]["viewer"]["defaultPaymentMethod"] == {"id": "pm_1", **VISA}


async def test_each_subscription_shows_its_own_card(client, token_for, catalog):
    await user_with_customer("user-1", "cus_1")
    await card("pm_visa")
    await subscription("cus_1", "sub_new", "active", default_payment_method_id="pm_visa")
    await subscription("cus_1", "sub_old", "canceled", created=NOW - timedelta(days=40))

    body = await graphql(
        client,
        "query { viewer { subscriptions { id defaultPaymentMethod { id brand last4 } } } }",
        token=token_for("user-1"),
    )

    assert body["data"]["viewer"]["subscriptions"] == [
        {
            "id": "sub_new",
            "defaultPaymentMethod": {"id": "pm_visa", "brand": "visa", "last4": "4242"},
        },
        {"id": "sub_old", "defaultPaymentMethod": None},
    ]


async def test_without_a_customer_default_the_viewer_shows_their_subscriptions_card(
    client, token_for
):
    await user_with_customer("user-1", "cus_1")
    await Customer.create(id="cus_1", default_payment_method_id=None)
    await card("pm_checkout")
    await subscription("cus_1", "sub_1", "active", default_payment_method_id="pm_checkout")

    body = await graphql(client, PAYMENT_METHOD, token=token_for("user-1"))

    assert body["data"]["viewer"]["defaultPaymentMethod"] == {"id": "pm_checkout", **VISA}


async def test_the_customers_default_card_comes_before_the_subscriptions(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await card("pm_checkout")
    await card("pm_portal", last4="4444")
    await Customer.create(id="cus_1", default_payment_method_id="pm_portal")
    await subscription("cus_1", "sub_1", "active", default_payment_method_id="pm_checkout")

    assert await viewer_card(client, token_for("user-1")) == "pm_portal"


async def test_a_detached_customer_default_falls_back_to_the_subscriptions_card(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await card("pm_checkout")
    await card("pm_gone", customer_id=None, detached=True)
    await Customer.create(id="cus_1", default_payment_method_id="pm_gone")
    await subscription("cus_1", "sub_1", "active", default_payment_method_id="pm_checkout")

    assert await viewer_card(client, token_for("user-1")) == "pm_checkout"


@pytest.mark.parametrize(
    ("older_status", "shown"),
    [("past_due", "pm_older"), ("canceled", "pm_newer")],
    ids=["the current one before a newer ended one", "else the newest"],
)
async def test_the_card_shown_is_the_current_subscriptions_else_the_newest_ones(
    client, token_for, older_status, shown
):
    await user_with_customer("user-1", "cus_1")
    await card("pm_older")
    await card("pm_newer")
    await subscription(
        "cus_1",
        "sub_older",
        older_status,
        created=NOW - timedelta(days=40),
        default_payment_method_id="pm_older",
    )
    await subscription("cus_1", "sub_newer", "canceled", default_payment_method_id="pm_newer")

    assert await viewer_card(client, token_for("user-1")) == shown


async def test_a_detached_subscription_card_is_no_card(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await card("pm_gone", customer_id=None, detached=True)
    await subscription("cus_1", "sub_1", "active", default_payment_method_id="pm_gone")

    assert await viewer_card(client, token_for("user-1")) is None


async def test_a_card_known_only_by_its_id_shows_its_id_alone(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await Customer.create(id="cus_1", default_payment_method_id="pm_unseen")

    body = await graphql(client, PAYMENT_METHOD, token=token_for("user-1"))

    assert body["data"]["viewer"]["defaultPaymentMethod"] == {
        "id": "pm_unseen",
        "brand": None,
        "last4": None,
        "expMonth": None,
        "expYear": None,
    }


async def test_a_deleted_customer_has_no_card(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await card("pm_checkout")
    await Customer.create(id="cus_1", default_payment_method_id="pm_checkout", deleted=True)
    await subscription("cus_1", "sub_1", "canceled", default_payment_method_id="pm_checkout")

    assert await viewer_card(client, token_for("user-1")) is None


async def test_a_detached_card_is_no_default_payment_method(client, token_for):
    await user_with_customer("user-1", "cus_1")
    await PaymentMethod.create(id="pm_1", customer_id="cus_1", detached=True)
    await Customer.create(id="cus_1", default_payment_method_id="pm_1")

    body = await graphql(client, PAYMENT_METHOD, token=token_for("user-1"))

    assert body["data"]["viewer"]["defaultPaymentMethod"] is None


async def test_invoices_come_newest_first_up_to_the_limit(client, token_for):
    await user_with_customer("user-1", "cus_1")
    for day in range(3):
        await Invoice.create(
            id=f"in_{day}",
            customer_id="cus_1",
            status="paid",
            amount_due=900,
            amount_paid=900,
            currency="usd",
            created=NOW + timedelta(days=day),
            hosted_invoice_url=f"https://invoice.stripe.com/i/{day}",
        )

    body = await graphql(client, INVOICES, {"limit": 2}, token=token_for("user-1"))

    assert body["data"]["viewer"]["invoices"] == [
        {
            "id": "in_2",
            "status": "paid",
            "amountDue": 900,
            "amountPaid": 900,
            "currency": "usd",
            "created": "2026-11-03T00:00:00+00:00",
            "hostedInvoiceUrl": "https://invoice.stripe.com/i/2",
        },
        {
            "id": "in_1",
            "status": "paid",
            "amountDue": 900,
            "amountPaid": 900,
            "currency": "usd",
            "created": "2026-11-02T00:00:00+00:00",
            "hostedInvoiceUrl": "https://invoice.stripe.com/i/1",
        },
    ]


async def test_draft_invoices_are_left_out_of_the_limit_and_the_list(client, token_for):
    await user_with_customer("user-1", "cus_1")
    for day, status in enumerate(("paid", "open", "draft")):
        await Invoice.create(
            id=f"in_{status}",
            customer_id="cus_1",
            status=status,
            currency="usd",
            created=NOW + timedelta(days=day),
        )

    body = await graphql(client, INVOICES, {"limit": 2}, token=token_for("user-1"))

    assert [row["id"] for row in body["data"]["viewer"]["invoices"]] == ["in_open", "in_paid"]


@pytest.mark.parametrize("limit", [0, -1, 101])
async def test_an_invoice_limit_out_of_range_is_refused(client, token_for, limit):
    body = await graphql(client, INVOICES, {"limit": limit}, token=token_for("user-1"))

    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_the_viewer_shows_the_linked_customer(client, token_for):
    await User.create(external_id="user-1", stripe_customer_id="cus_1", email="a@example.com")

    body = await graphql(client, "query { viewer { id customerId } }", token=token_for("user-1"))

    assert body["data"]["viewer"] == {"id": "user-1", "customerId": "cus_1"}
