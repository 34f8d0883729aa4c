"""What a user's billing looks like, read from the local mirror of Stripe.

Webhooks and `billing-portal sync` keep the mirror exact, so reads cost no Stripe call and work
the same against stripe-mock (which keeps no state). Every read is scoped to the user's own
customer id: no query here takes an id a caller chose.
"""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.expressions import Q

from services.errors import BadUserInput
from services.models import Customer, Invoice, PaymentMethod, Price, Subscription, User

KNOWN_STATUSES = (
    "incomplete",
    "incomplete_expired",
    "trialing",
    "active",
    "past_due",
    "canceled",
    "unpaid",
    "paused",
)
ENTITLED_STATUSES = ("active", "trialing")
# A subscription the Customer Portal can still cancel or switch.
CURRENT_STATUSES = ("active", "trialing", "past_due", "unpaid", "paused")
MAX_INVOICES = 100


async def subscriptions(user: User, statuses: Sequence[str] | None = None) -> list[Subscription]:
    """The user's subscriptions, newest first (statuses Stripe may add later are left out)."""
    if not user.stripe_customer_id:
        return []
    wanted = [status for status in (statuses or KNOWN_STATUSES) if status in KNOWN_STATUSES]
    return (
        await Subscription.filter(customer_id=user.stripe_customer_id, status__in=wanted)
        .order_by("-created", "-id")
        .all()
    )


async def has_active_subscription(
    user: User, *, product_id: str | None = None, price_id: str | None = None
) -> bool:
    """ACTIVE or TRIALING, optionally on one product and/or one price."""
    if not user.stripe_customer_id:
        return False
    rows = Subscription.filter(customer_id=user.stripe_customer_id, status__in=ENTITLED_STATUSES)
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
        .order_by("-created", "-id")
        .first()
    )
    return current.id if current else None


async def default_payment_method(user: User) -> PaymentMethod | None:
    if not user.stripe_customer_id:
        return None
    customer = await Customer.get_or_none(id=user.stripe_customer_id, deleted=False)
    if customer is None or not customer.default_payment_method_id:
        return None
    return await PaymentMethod.get_or_none(id=customer.default_payment_method_id, detached=False)


async def invoices(user: User, limit: int) -> list[Invoice]:
    """The user's latest invoices, newest first."""
    if not 1 <= limit <= MAX_INVOICES:
        raise BadUserInput(f"limit must be between 1 and {MAX_INVOICES}.")
    if not user.stripe_customer_id:
        return []
    return (
        await Invoice.filter(customer_id=user.stripe_customer_id)
        .order_by("-created", "-id")
        .limit(limit)
    )
