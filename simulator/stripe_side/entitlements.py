"""Stripe Entitlements: the features a customer's subscription entitles them to, announced in an
active entitlement summary whenever that set changes.

Stripe keeps entitlements while a subscription exists and drops them when it ends; it sends no
summary when a subscription is paused or falls past due, so its features stay active then.
"""

from __future__ import annotations

from simulator.stripe_side import objects
from simulator.stripe_side.catalog import Feature
from simulator.stripe_side.outbox import EventOutbox
from simulator.stripe_side.state import CustomerState

# BEHAVIOUR: entitlements.summary (incomplete and ended subscriptions entitle to nothing)
ENTITLING_STATUSES = frozenset({"trialing", "active", "past_due", "unpaid", "paused"})


def entitled_features(owner: CustomerState) -> tuple[Feature, ...]:
    """The features the customer's subscription grants now."""
    subscription = owner.subscription
    if subscription is None or subscription.status not in ENTITLING_STATUSES:
        return ()
    return subscription.price.features


def announce_if_changed(outbox: EventOutbox, owner: CustomerState) -> None:
    """One summary event, in the burst of the change, when the entitled features changed."""
    features = entitled_features(owner)
    if features == owner.entitled:
        return
    owner.entitled = features
    # BEHAVIOUR: entitlements.summary
    outbox.emit(
        "entitlements.active_entitlement_summary.updated",
        objects.entitlement_summary(owner, features),
    )
