"""What a customer owns right now: the one rule behind access groups and hasActiveSubscription.

A product counts as bought while
- a subscription to it entitles the customer: active or trialing (a scheduled cancellation keeps
  that status until the subscription ends, so a subscription set to end still counts until it
  has), or past due for less than the grace period since its first failed payment;
- or a one-time purchase of it stands: paid, and not refunded in full while refunds end
  purchases.

The grace counts from the first failed payment of the debt. Stripe first tries to collect an
automatically charged invoice when it finalizes it, so that moment is the earliest finalization
among the subscription's open invoices; until the mirror knows such an invoice, a past-due
subscription gets no grace. Every part of the rule is read from mirror rows that each converge on
their own (subscriptions, invoices, purchases, charges), so the answer does not depend on the
order their events arrived in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from services.connections import read_connection
from services.models import Charge, Invoice, Price, Purchase, Subscription
from services.sql import instant, placeholders

MAX_PAST_DUE_GRACE_DAYS = 365
ENTITLED_STATUSES = ("active", "trialing")
PAST_DUE = "past_due"


@dataclass(frozen=True, slots=True)
class OwnershipPolicy:
    """How long a past-due subscription still counts, and whether a full refund ends a purchase."""

    past_due_grace: timedelta = timedelta(0)
    refund_ends_purchase: bool = True


@dataclass(frozen=True, slots=True)
class Holding:
    """A subscription (`subscription_status` set) or a one-time purchase (None) of one product."""

    product_id: str | None
    price_id: str | None
    subscription_status: str | None
    past_due_since: datetime | None
    refunded: bool

    @property
    def is_subscription(self) -> bool:
        return self.subscription_status is not None


def counts(holding: Holding, policy: OwnershipPolicy, now: datetime) -> bool:
    """Whether `holding` makes its product bought at `now`: the rule of this module."""
    if not holding.is_subscription:
        return not (holding.refunded and policy.refund_ends_purchase)
    if holding.subscription_status in ENTITLED_STATUSES:
        return True
    since = holding.past_due_since
    return (
        holding.subscription_status == PAST_DUE
        and since is not None
        and (now < since + policy.past_due_grace)
    )


async def holdings(customer_id: str) -> list[Holding]:
    """Everything the customer holds that the rule may count, in one statement."""
    connection = read_connection(Subscription)
    # The statuses the rule may count; any other never counts, whatever the policy.
    candidates = (*ENTITLED_STATUSES, PAST_DUE)
    # Markers are numbered in the order they appear: SQLite binds `?` by position.
    customer, *statuses, buyer = placeholders(connection, 2 + len(candidates))
    rows = await connection.execute_query_dict(
        f'{_SUBSCRIPTIONS} WHERE subscription."customer_id" = {customer} '
        f'AND subscription."status" IN ({", ".join(statuses)}) '
        f'UNION ALL {_PURCHASES} WHERE purchase."customer_id" = {buyer} AND purchase."paid"',
        [customer_id, *candidates, customer_id],
    )
    return [_holding(row) for row in rows]


def owned_products(
    held: Iterable[Holding], policy: OwnershipPolicy, now: datetime
) -> frozenset[str]:
    """The products bought at `now` among `held`."""
    return frozenset(
        holding.product_id
        for holding in held
        if holding.product_id is not None and counts(holding, policy, now)
    )


_SUBSCRIPTIONS = (
    'SELECT COALESCE(subscription."product_id", price."product_id") AS "product_id", '  # noqa: S608
    'subscription."price_id" AS "price_id", subscription."status" AS "status", '
    f'(SELECT MIN(invoice."finalized_at") FROM "{Invoice._meta.db_table}" AS invoice '
    # The customer's own invoices, through their index, then the subscription's open ones.
    'WHERE invoice."customer_id" = subscription."customer_id" '
    'AND invoice."subscription_id" = subscription."id" AND invoice."status" = \'open\') '
    'AS "past_due_since", FALSE AS "refunded" '
    f'FROM "{Subscription._meta.db_table}" AS subscription '
    f'LEFT JOIN "{Price._meta.db_table}" AS price ON price."id" = subscription."price_id"'
)
_PURCHASES = (
    'SELECT purchase."product_id", purchase."price_id", NULL, NULL, '  # noqa: S608
    f'EXISTS (SELECT 1 FROM "{Charge._meta.db_table}" AS charge '
    'WHERE charge."payment_intent_id" = purchase."payment_intent_id" AND charge."refunded") '
    f'FROM "{Purchase._meta.db_table}" AS purchase'
)


def _holding(row: dict[str, Any]) -> Holding:
    return Holding(
        product_id=row["product_id"],
        price_id=row["price_id"],
        subscription_status=row["status"],
        past_due_since=instant(row["past_due_since"]),
        refunded=bool(row["refunded"]),
    )


def has_entitling_subscription(
    held: Iterable[Holding],
    policy: OwnershipPolicy,
    now: datetime,
    *,
    product_id: str | None = None,
    price_id: str | None = None,
) -> bool:
    """Whether a subscription among `held` counts at `now` (to this product and/or price)."""
    return any(
        holding.is_subscription
        and counts(holding, policy, now)
        and product_id in (None, holding.product_id)
        and price_id in (None, holding.price_id)
        for holding in held
    )
