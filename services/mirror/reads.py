"""What a user's billing looks like: their subscriptions, invoices and card, read from the mirror.

Webhooks and `billing-portal sync` keep the mirror exact, so reads cost no Stripe call and work
the same against stripe-mock (which keeps no state). Every read is scoped to the user's own
customer id: no query here takes an id a caller chose.

Cards are named by id (a subscription's `default_payment_method`, a customer's invoice default)
and described by payment_method.* events, which may not have arrived yet: a card whose id is
known but whose details are not is still a card on file, shown with its id alone. A detached
card is no card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from tortoise.models import Model

from services.connections import read_connection
from services.errors import BadUserInput
from services.mirror import plans
from services.mirror.handlers.subscriptions import STATUS_RANK as SUBSCRIPTION_STATUS_RANK
from services.mirror.plans import PlanView
from services.models import Customer, EntitlementSummary, Invoice, PaymentMethod, Subscription
from services.sql import instant, placeholders
from services.users import BillingUser
from services.views import columns, view_of

# Every status Stripe documents; one it adds later is left out until the handler ranks it.
KNOWN_STATUSES = tuple(SUBSCRIPTION_STATUS_RANK)
# A subscription the Customer Portal can still cancel or switch.
CURRENT_STATUSES = ("active", "trialing", "past_due", "unpaid", "paused")
MAX_INVOICES = 100
# Newest first; the id orders rows of the same second the same way every time.
NEWEST_FIRST = ("-created", "-id")
_NEWEST_FIRST_SQL = ", ".join(
    f'subscription."{field[1:]}" DESC' if field.startswith("-") else f'subscription."{field}"'
    for field in NEWEST_FIRST
)


@dataclass(frozen=True, slots=True)
class PaymentMethodView:
    id: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


@dataclass(frozen=True, slots=True)
class SubscriptionView:
    id: str
    status: str
    price_id: str
    product_id: str | None
    plan_name: str | None
    quantity: int
    current_period_end: datetime | None
    cancel_at_period_end: bool
    cancel_at: datetime | None
    canceled_at: datetime | None
    trial_end: datetime | None
    created: datetime | None
    default_payment_method: PaymentMethodView | None


@dataclass(frozen=True, slots=True)
class InvoiceView:
    id: str
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_invoice_url: str | None


# A subscription view's fields are its row's columns, except its card, which the row names by id.
_SUBSCRIPTION_COLUMNS = (
    *(name for name in columns(SubscriptionView) if name != "default_payment_method"),
    "default_payment_method_id",
)
_CARD_COLUMNS = ("brand", "last4", "exp_month", "exp_year", "detached")


def _with_card(model: type[Model], alias: str, selected: Sequence[str]) -> str:
    """SELECT rows of `model` (as `alias`) with the card their `default_payment_method_id`
    names, as `card_*` columns, null while the mirror does not know the card."""
    owner = ", ".join(f'{alias}."{name}"' for name in selected)
    card = ", ".join(f'card."{name}" AS "card_{name}"' for name in _CARD_COLUMNS)
    return (
        f'SELECT {owner}, {card} FROM "{model._meta.db_table}" AS {alias} '  # noqa: S608
        f'LEFT JOIN "{PaymentMethod._meta.db_table}" AS card '
        f'ON card."id" = {alias}."default_payment_method_id"'
    )


_SUBSCRIPTIONS_WITH_CARDS = _with_card(Subscription, "subscription", _SUBSCRIPTION_COLUMNS)
_CUSTOMER_WITH_CARD = _with_card(Customer, "customer", ("deleted", "default_payment_method_id"))


async def subscriptions(
    user: BillingUser, statuses: Sequence[str] | None = None
) -> list[SubscriptionView]:
    """The user's subscriptions, newest first (statuses Stripe may add later are left out)."""
    if not user.customer_id:
        return []
    wanted = [status for status in (statuses or KNOWN_STATUSES) if status in KNOWN_STATUSES]
    if not wanted:
        return []
    views = [_subscription_view(row) for row in await _subscription_rows(user.customer_id, wanted)]
    return await _named_by_catalog(views)


async def _subscription_rows(customer_id: str, statuses: Sequence[str]) -> list[dict[str, Any]]:
    """The rows with their cards as one plain statement, without building a Tortoise query:
    every viewer asks."""
    connection = read_connection(Subscription)
    customer, *wanted = placeholders(connection, 1 + len(statuses))
    return await connection.execute_query_dict(
        f"{_SUBSCRIPTIONS_WITH_CARDS} "
        f'WHERE subscription."customer_id" = {customer} '
        f'AND subscription."status" IN ({", ".join(wanted)}) '
        f"ORDER BY {_NEWEST_FIRST_SQL}",
        [customer_id, *statuses],
    )


def _subscription_view(row: dict[str, Any]) -> SubscriptionView:
    return SubscriptionView(
        id=row["id"],
        status=row["status"],
        price_id=row["price_id"],
        product_id=row["product_id"],
        plan_name=row["plan_name"],
        quantity=row["quantity"],
        current_period_end=instant(row["current_period_end"]),
        cancel_at_period_end=bool(row["cancel_at_period_end"]),
        cancel_at=instant(row["cancel_at"]),
        canceled_at=instant(row["canceled_at"]),
        trial_end=instant(row["trial_end"]),
        created=instant(row["created"]),
        default_payment_method=_card(row),
    )


def _card(row: dict[str, Any]) -> PaymentMethodView | None:
    """The card a row selected `_with_card` names, if it names one that is not detached."""
    payment_method_id = row["default_payment_method_id"]
    if payment_method_id is None or row["card_detached"]:
        return None
    return PaymentMethodView(
        id=payment_method_id,
        brand=row["card_brand"],
        last4=row["card_last4"],
        exp_month=row["card_exp_month"],
        exp_year=row["card_exp_year"],
    )


async def _named_by_catalog(views: list[SubscriptionView]) -> list[SubscriptionView]:
    """Older mirror rows may lack the product id or plan name: the catalog's, in one look-up."""
    unnamed = sorted({view.price_id for view in views if not (view.product_id and view.plan_name)})
    if not unnamed:
        return views
    known = await plans.plans_of_prices(unnamed)
    return [_named(view, known.get(view.price_id)) for view in views]


def _named(view: SubscriptionView, plan: PlanView | None) -> SubscriptionView:
    if plan is None:
        return view
    return replace(
        view, product_id=view.product_id or plan.product_id, plan_name=view.plan_name or plan.name
    )


async def current_subscription_id(customer_id: str) -> str | None:
    """The newest subscription the portal can act on, if the customer has one."""
    current = (
        await Subscription.filter(customer_id=customer_id, status__in=CURRENT_STATUSES)
        .order_by(*NEWEST_FIRST)
        .first()
    )
    return current.id if current else None


async def default_payment_method(user: BillingUser) -> PaymentMethodView | None:
    """The customer's invoice default, else the card of their current subscription.

    Checkout saves the card on the subscription it creates and leaves the customer's default
    unset; the Customer Portal sets the customer's default. The current subscription is the
    newest one the portal can act on (CURRENT_STATUSES); without one, the newest that ended,
    whose card stays saved on the customer until it is detached.
    """
    if not user.customer_id:
        return None
    connection = read_connection(Customer)
    [customer] = placeholders(connection, 1)
    rows = await connection.execute_query_dict(
        f'{_CUSTOMER_WITH_CARD} WHERE customer."id" = {customer}', [user.customer_id]
    )
    if rows and rows[0]["deleted"]:
        return None
    card = _card(rows[0]) if rows else None
    return card or await _current_subscription_card(user.customer_id)


async def _current_subscription_card(customer_id: str) -> PaymentMethodView | None:
    connection = read_connection(Subscription)
    customer, *current = placeholders(connection, 1 + len(CURRENT_STATUSES))
    rows = await connection.execute_query_dict(
        f"{_SUBSCRIPTIONS_WITH_CARDS} "
        f'WHERE subscription."customer_id" = {customer} '
        'AND subscription."default_payment_method_id" IS NOT NULL '
        'AND (card."detached" IS NULL OR NOT card."detached") '
        f'ORDER BY CASE WHEN subscription."status" IN ({", ".join(current)}) THEN 0 ELSE 1 END, '
        f"{_NEWEST_FIRST_SQL} LIMIT 1",
        [customer_id, *CURRENT_STATUSES],
    )
    return _card(rows[0]) if rows else None


async def invoices(user: BillingUser, limit: int) -> list[InvoiceView]:
    """The user's latest issued invoices (not drafts), newest first."""
    if not 1 <= limit <= MAX_INVOICES:
        raise BadUserInput(f"limit must be between 1 and {MAX_INVOICES}.")
    if not user.customer_id:
        return []
    # Stripe's own portal history leaves drafts out too: a draft is a bill not yet issued.
    rows = (
        await Invoice.filter(customer_id=user.customer_id)
        .exclude(status="draft")
        .order_by(*NEWEST_FIRST)
        .limit(limit)
    )
    return [view_of(InvoiceView, row) for row in rows]


async def entitlements(user: BillingUser) -> list[str]:
    """The lookup keys of the user's active Stripe entitlements, in order."""
    if not user.customer_id:
        return []
    summary = await EntitlementSummary.get_or_none(id=user.customer_id)
    if summary is None:
        return []
    return sorted({entitlement["lookup_key"] for entitlement in summary.entitlements})
