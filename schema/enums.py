"""GraphQL enums; their values are Stripe's own strings, which the services speak."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(description="A Stripe subscription's status.")
class SubscriptionStatus(Enum):
    INCOMPLETE = "incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired"
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"
    CANCELED = "canceled"
    UNPAID = "unpaid"
    PAUSED = "paused"


@strawberry.enum(description="SUBSCRIPTION sells a recurring price, PAYMENT a one-time price.")
class CheckoutMode(Enum):
    SUBSCRIPTION = "subscription"
    PAYMENT = "payment"


@strawberry.enum(description="A Customer Portal deep link into one task.")
class PortalFlow(Enum):
    PAYMENT_METHOD_UPDATE = "payment_method_update"
    SUBSCRIPTION_CANCEL = "subscription_cancel"
    SUBSCRIPTION_UPDATE = "subscription_update"
