"""Which object family applies which event type; the event log keeps any other type as ignored."""

from __future__ import annotations

from collections.abc import Iterable

from services.mirror.handlers.base import Family
from services.mirror.handlers.catalog import PRICES, PRODUCTS
from services.mirror.handlers.charges import CHARGES
from services.mirror.handlers.checkout import CHECKOUT_SESSIONS
from services.mirror.handlers.customers import CUSTOMERS
from services.mirror.handlers.entitlements import ENTITLEMENT_SUMMARIES
from services.mirror.handlers.invoices import INVOICES
from services.mirror.handlers.payment_methods import PAYMENT_METHODS
from services.mirror.handlers.subscriptions import SUBSCRIPTIONS


def _types(prefix: str, actions: Iterable[str], family: Family) -> dict[str, Family]:
    return {f"{prefix}.{action}": family for action in actions}


FAMILIES: dict[str, Family] = {
    **_types(
        "checkout.session",
        ("completed", "expired", "async_payment_succeeded", "async_payment_failed"),
        CHECKOUT_SESSIONS,
    ),
    "charge.refunded": CHARGES,
    "entitlements.active_entitlement_summary.updated": ENTITLEMENT_SUMMARIES,
    **_types(
        "customer.subscription",
        (
            "created",
            "updated",
            "deleted",
            "paused",
            "resumed",
            "trial_will_end",
            "pending_update_applied",
            "pending_update_expired",
        ),
        SUBSCRIPTIONS,
    ),
    **_types(
        "invoice",
        (
            "created",
            "finalized",
            "updated",
            "paid",
            "payment_failed",
            "payment_succeeded",
            "payment_action_required",
            "marked_uncollectible",
            "voided",
        ),
        INVOICES,
    ),
    **_types(
        "payment_method",
        ("attached", "detached", "updated", "automatically_updated"),
        PAYMENT_METHODS,
    ),
    **_types("customer", ("created", "updated", "deleted"), CUSTOMERS),
    **_types("product", ("created", "updated", "deleted"), PRODUCTS),
    **_types("price", ("created", "updated", "deleted"), PRICES),
}
