"""What a user's billing looks like: their subscriptions, invoices and card, read from the mirror.

Webhooks and `billing-portal sync` keep the mirror exact, so reads cost no Stripe call and work
the same against stripe-mock (which keeps no state). Every read is scoped to the user's own
customer id: no query here takes an id a caller chose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from tortoise.expressions import Q

from services.errors import BadUserInput
from services.mirror import plans
from services.mirror.handlers.subscriptions import STATUS_RANK as SUBSCRIPTION_STATUS_RANK
from services.mirror.plans import PlanView
from services.models import Customer, Invoice, PaymentMethod, Price, Subscription
from services.sql import placeholders
from services.users import BillingUser
from services.views import columns, view_of

# Every status Stripe documents; one it adds later is left out until the handler ranks it.
KNOWN_STATUSES = tuple(SUBSCRIPTION_STATUS_RANK)
ENTITLED_STATUSES = ("active", "trialing")
# A subscription the Customer Portal can still cancel or switch.
CURRENT_STATUSES = ("active", "trialing", "past_due", "unpaid", "paused")
MAX_INVOICES = 100
# Newest first; the id orders rows of the same second the same way every time.
NEWEST_FIRST = ("-created", "-id")
_NEWEST_FIRST_SQL = ", ".join(
    f'"{field[1:]}" DESC' if field.startswith("-") else f'"{field}"' for field in NEWEST_FIRST
)


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
    canceled_at: datetime | None
    trial_end: datetime | None
    created: datetime | None


@dataclass(frozen=True, slots=True)
class InvoiceView:
    id: str
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_invoice_url: str | None


@dataclass(frozen=True, slots=True)
class PaymentMethodView:
    id: str
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


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
    """The rows as one plain statement, without building a Tortoise query: every viewer asks."""
    connection = Subscription._meta.db
    customer, *wanted = placeholders(connection, 1 + len(statuses))
    selected = ", ".join(f'"{name}"' for name in columns(SubscriptionView))
    return await connection.execute_query_dict(
        f'SELECT {selected} FROM "{Subscription._meta.db_table}" '  # noqa: S608
        f'WHERE "customer_id" = {customer} AND "status" IN ({", ".join(wanted)}) '
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
        current_period_end=_utc(row["current_period_end"]),
        cancel_at_period_end=bool(row["cancel_at_period_end"]),
        canceled_at=_utc(row["canceled_at"]),
        trial_end=_utc(row["trial_end"]),
        created=_utc(row["created"]),
    )


def _utc(value: datetime | str | None) -> datetime | None:
    """A stored instant as an aware UTC datetime, the way Tortoise reads it (use_tz, UTC).

    SQLite hands back ISO text and asyncpg datetimes; the text is parsed with
    `datetime.fromisoformat`, which is faster than the iso8601 parser Tortoise uses.
    """
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


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


async def has_active_subscription(
    user: BillingUser, *, product_id: str | None = None, price_id: str | None = None
) -> bool:
    """ACTIVE or TRIALING, optionally on one product and/or one price."""
    if not user.customer_id:
        return False
    rows = Subscription.filter(customer_id=user.customer_id, status__in=ENTITLED_STATUSES)
    if price_id is not None:
        rows = rows.filter(price_id=price_id)
    if product_id is not None:
        # Older mirror rows may lack product_id: the catalog knows each price's product.
        product_prices = await Price.filter(product_id=product_id).values_list("id", flat=True)
        rows = rows.filter(Q(product_id=product_id) | Q(price_id__in=list(product_prices)))
    return await rows.exists()


async def current_subscription_id(customer_id: str) -> str | None:
    """The newest subscription the portal can act on, if the customer has one."""
    current = (
        await Subscription.filter(customer_id=customer_id, status__in=CURRENT_STATUSES)
        .order_by(*NEWEST_FIRST)
        .first()
    )
    return current.id if current else None


async def default_payment_method(user: BillingUser) -> PaymentMethodView | None:
    if not user.customer_id:
        return None
    customer = await Customer.get_or_none(id=user.customer_id, deleted=False)
    if customer is None or not customer.default_payment_method_id:
        return None
    card = await PaymentMethod.get_or_none(id=customer.default_payment_method_id, detached=False)
    return view_of(PaymentMethodView, card) if card else None


async def invoices(user: BillingUser, limit: int) -> list[InvoiceView]:
    """The user's latest invoices, newest first."""
    if not 1 <= limit <= MAX_INVOICES:
        raise BadUserInput(f"limit must be between 1 and {MAX_INVOICES}.")
    if not user.customer_id:
        return []
    rows = await Invoice.filter(customer_id=user.customer_id).order_by(*NEWEST_FIRST).limit(limit)
    return [view_of(InvoiceView, row) for row in rows]
