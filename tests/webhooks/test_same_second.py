"""Events of one second, in any order, leave the mirror in the state the last step left Stripe in.

`created` cannot order them (Stripe stamps whole seconds), so the objects' own fields must: a
Checkout completion's fourteen events, and the customer's and the card's own events of one
second.
"""

from __future__ import annotations

from itertools import count, permutations
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.models import Customer as CustomerRow
from services.models import Invoice, PaymentMethod, Subscription
from services.webhooks.events import parse_event
from tests.webhooks import stripe_payloads as stripe
from tests.webhooks import support as s
from tests.webhooks.stripe_payloads import BILLING_MODES, CHECKOUT_AT, Customer

CHECKOUT_EVENTS = len(stripe.checkout_completed(Customer("size")))
_examples = count()


async def _ingest(service, events: list[dict[str, Any]]) -> None:
    for body in events:
        await service.ingest(parse_event(body))


async def _checkout_outcome(customer: Customer) -> dict[str, Any]:
    subscription = await Subscription.get(id=customer.subscription)
    invoice = await Invoice.get(id=customer.first_invoice)
    card = await PaymentMethod.get(id=customer.card)
    row = await CustomerRow.get(id=customer.id)
    return {
        "subscription": (
            subscription.status,
            subscription.cancel_at_period_end,
            subscription.cancel_at,
            subscription.default_payment_method_id,
        ),
        "invoice": (invoice.status, invoice.amount_paid),
        "card": (card.customer_id, card.detached, card.last4),
        "customer default card": row.default_payment_method_id,
        "linked customer": await s.linked_customer(customer.user_id),
    }


def _expected_checkout_outcome(customer: Customer) -> dict[str, Any]:
    return {
        "subscription": ("active", False, None, customer.card),
        "invoice": ("paid", stripe.BASIC_AMOUNT),
        "card": (customer.id, False, "4242"),
        "customer default card": None,
        "linked customer": customer.id,
    }


@st.composite
def checkout_deliveries(draw):
    """A billing mode, and the burst's indexes in any order with some delivered twice."""
    mode = draw(st.sampled_from(BILLING_MODES))
    order = list(draw(st.permutations(range(CHECKOUT_EVENTS))))
    for index in draw(st.lists(st.integers(0, CHECKOUT_EVENTS - 1), max_size=4)):
        order.insert(draw(st.integers(0, len(order))), index)
    return mode, order


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(delivery=checkout_deliveries())
async def test_a_checkout_burst_converges_in_any_order(webhook_service, delivery):
    mode, order = delivery
    # Each example gets its own ids, so examples need no cleanup between them.
    customer = Customer(f"burst{next(_examples):04d}", mode)
    service = webhook_service()
    await _ingest(service, stripe.customer_created(customer))
    checkout = stripe.checkout_completed(customer)

    await _ingest(service, [checkout[index] for index in order])

    assert await _checkout_outcome(customer) == _expected_checkout_outcome(customer)


def _one_second(customer: Customer, *events: tuple[str, dict[str, Any]]) -> list[list[Any]]:
    """Every delivery order of these events, all stamped with the same second.

    The event that must win comes first, so it has the lowest event id: the last-resort
    tie-break alone would pick another one.
    """
    burst = stripe.burst(
        customer, "second", CHECKOUT_AT, [(kind, data, None) for kind, data in events]
    )
    return [list(order) for order in permutations(burst)]


def _card(customer: Customer, owner: str | None, **card: Any) -> dict[str, Any]:
    return stripe.payment_method(customer.card, owner, {**stripe.VISA, **card})


ATTACHED_THEN_DETACHED = _one_second(
    Customer("pm"),
    ("payment_method.detached", _card(Customer("pm"), None)),
    ("payment_method.attached", _card(Customer("pm"), "cus_pm")),
    ("payment_method.automatically_updated", _card(Customer("pm"), "cus_pm", exp_year=2032)),
)


@pytest.mark.parametrize("order", ATTACHED_THEN_DETACHED)
async def test_a_card_detached_in_the_second_it_was_attached_stays_detached(webhook_service, order):
    await _ingest(webhook_service(), order)

    card = await PaymentMethod.get(id="pm_pm")
    assert (card.detached, card.customer_id) == (True, None)


ATTACHED_AND_CHANGED_AFTER_DETACH = _one_second(
    Customer("pm"),
    ("payment_method.updated", _card(Customer("pm"), None, exp_month=1)),
    ("payment_method.attached", _card(Customer("pm"), "cus_pm")),
)


@pytest.mark.parametrize("order", ATTACHED_AND_CHANGED_AFTER_DETACH)
async def test_a_card_without_a_customer_outranks_its_attachment_of_the_same_second(
    webhook_service, order
):
    await _ingest(webhook_service(), order)

    card = await PaymentMethod.get(id="pm_pm")
    assert (card.detached, card.customer_id, card.exp_month) == (True, None, 1)


CUSTOMER = Customer("cu")
CUSTOMER_DELETED = _one_second(
    CUSTOMER,
    ("customer.deleted", stripe.customer_object(CUSTOMER, default_card=CUSTOMER.card)),
    ("customer.created", stripe.customer_object(CUSTOMER)),
    ("customer.updated", stripe.customer_object(CUSTOMER, default_card=CUSTOMER.card)),
)


@pytest.mark.parametrize("order", CUSTOMER_DELETED)
async def test_a_customer_deleted_in_the_second_it_changed_stays_deleted(webhook_service, order):
    await _ingest(webhook_service(), order)

    assert (await CustomerRow.get(id=CUSTOMER.id)).deleted


CUSTOMER_CARD_SET = _one_second(
    CUSTOMER,
    ("customer.updated", stripe.customer_object(CUSTOMER, default_card=CUSTOMER.card)),
    ("customer.created", stripe.customer_object(CUSTOMER)),
    ("customer.updated", {**stripe.customer_object(CUSTOMER), "name": "Ada Lovelace"}),
)


@pytest.mark.parametrize("order", CUSTOMER_CARD_SET)
async def test_a_default_card_set_in_the_same_second_as_other_changes_stays_set(
    webhook_service, order
):
    await _ingest(webhook_service(), order)

    row = await CustomerRow.get(id=CUSTOMER.id)
    assert (row.default_payment_method_id, row.deleted) == (CUSTOMER.card, False)


DELETED_SNAPSHOT = _one_second(
    CUSTOMER,
    ("customer.updated", {**stripe.customer_object(CUSTOMER), "deleted": True}),
    ("customer.updated", stripe.customer_object(CUSTOMER, default_card=CUSTOMER.card)),
)


@pytest.mark.parametrize("order", DELETED_SNAPSHOT)
async def test_a_snapshot_of_the_deleted_customer_outranks_an_update_of_the_same_second(
    webhook_service, order
):
    await _ingest(webhook_service(), order)

    assert (await CustomerRow.get(id=CUSTOMER.id)).deleted
