"""Each payment condition holds the users it should, whatever order Stripe's events arrive in and
however often: every case is played in every order of its events, each with one of them twice.

Groups (conftest.GROUPS): subscribers IS_ONE_OF Basic, Pro; readers IS_ONE_OF the e-book; free
IS_NONE_OF all three; pro-readers HAS_ALL_OF Pro and the e-book.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations
from typing import Any

import pytest

from tests.access.conftest import linked_user
from tests.access.support import ACCESS_GROUPS, EBOOK, PRICES, PRO, charge, event, fresh
from tests.access.support import payment_session as session
from tests.support import graphql
from tests.webhooks import support as s

T = s.BASE_TIME
Case = Callable[[str, Any], list[dict[str, Any]]]


def _subscription(customer: str, sub: str, status: str, product: str = "prod_basic", **kw):
    return s.subscription(sub, customer, status, price=PRICES[product], product=product, **kw)


def subscribed(customer, _):
    sub = fresh("sub")
    return [
        event("customer.subscription.created", _subscription(customer, sub, "incomplete")),
        event("customer.subscription.updated", _subscription(customer, sub, "active")),
    ]


def on_trial(customer, _):
    sub = fresh("sub")
    return [event("customer.subscription.created", _subscription(customer, sub, "trialing"))]


def set_to_end(customer, _):
    sub = fresh("sub")
    return [
        event("customer.subscription.created", _subscription(customer, sub, "active")),
        event(
            "customer.subscription.updated",
            _subscription(customer, sub, "active", cancel_at_period_end=True, canceled_at=T + 60),
            created=T + 60,
        ),
    ]


def ended(customer, _):
    sub = fresh("sub")
    return [
        event("customer.subscription.created", _subscription(customer, sub, "active")),
        event(
            "customer.subscription.deleted",
            _subscription(customer, sub, "canceled", canceled_at=T + 60),
            created=T + 60,
        ),
    ]


def past_due(customer, _):
    """Past due with the default grace of none."""
    sub = fresh("sub")
    failed = s.invoice(fresh("in"), customer, "open", subscription_id=sub)
    failed["status_transitions"] = {"finalized_at": T + 60}
    return [
        event("customer.subscription.created", _subscription(customer, sub, "active")),
        event("invoice.payment_failed", failed, created=T + 60),
        event(
            "customer.subscription.updated",
            _subscription(customer, sub, "past_due"),
            created=T + 60,
        ),
    ]


def bought_the_ebook(customer, stripe):
    checkout = fresh("cs")
    stripe.sells(checkout, [EBOOK])
    return [event("checkout.session.completed", session(checkout, customer))]


def refunded_in_full(customer, stripe):
    checkout, intent = fresh("cs"), fresh("pi")
    stripe.sells(checkout, [EBOOK])
    return [
        event("checkout.session.completed", session(checkout, customer, payment_intent=intent)),
        event(
            "charge.refunded",
            charge(fresh("ch"), customer, intent, refunded=1500),
            created=T + 60,
        ),
    ]


def refunded_in_part(customer, stripe):
    checkout, intent = fresh("cs"), fresh("pi")
    stripe.sells(checkout, [EBOOK])
    return [
        event("checkout.session.completed", session(checkout, customer, payment_intent=intent)),
        event(
            "charge.refunded",
            charge(fresh("ch"), customer, intent, refunded=500),
            created=T + 60,
        ),
    ]


def switched_to_pro_and_bought_the_ebook(customer, stripe):
    sub = fresh("sub")
    return [
        event("customer.subscription.created", _subscription(customer, sub, "active")),
        event(
            "customer.subscription.updated",
            _subscription(customer, sub, "active", product=PRO),
            created=T + 60,
        ),
        *bought_the_ebook(customer, stripe),
    ]


CASES: list[tuple[str, Case, list[str]]] = [
    ("nothing bought", lambda customer, _: [], ["free"]),
    ("an active subscription", subscribed, ["subscribers"]),
    ("a subscription on trial", on_trial, ["subscribers"]),
    ("a subscription set to end, before its end", set_to_end, ["subscribers"]),
    ("a subscription that ended", ended, ["free"]),
    ("a past-due subscription, without grace", past_due, ["free"]),
    ("a one-time purchase", bought_the_ebook, ["readers"]),
    ("a one-time purchase refunded in full", refunded_in_full, ["free"]),
    ("a one-time purchase refunded in part", refunded_in_part, ["readers"]),
    (
        "a switch to Pro and the e-book",
        switched_to_pro_and_bought_the_ebook,
        ["pro-readers", "readers", "subscribers"],
    ),
]


def _orders(events: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Every order of `events`, each with its first event delivered again at the end."""
    if not events:
        return [[]]
    return [[*order, order[0]] for order in permutations(events)]


@pytest.mark.parametrize(
    ("case", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES]
)
async def test_a_condition_holds_whatever_the_order_of_the_events(
    case, expected, groups, deliver, stripe_gateway, client, token_for
):
    attempt, attempts = 0, 1
    while attempt < attempts:
        # Each order is played by a customer of its own, with ids of its own.
        customer, user = fresh("cus"), fresh("user")
        await linked_user(user, customer)
        orders = _orders(case(customer, stripe_gateway))
        attempts = len(orders)
        await deliver(orders[attempt])

        answer = await graphql(client, ACCESS_GROUPS, token=token_for(user))

        assert answer == {"data": {"viewer": {"accessGroups": expected}}}, orders[attempt]
        attempt += 1
