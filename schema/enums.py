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


@strawberry.enum(description="Where the customer pays.")
class CheckoutUiMode(Enum):
    HOSTED = strawberry.enum_value(
        "hosted_page", description="On Stripe's page: send the browser to the session's url."
    )
    EMBEDDED = strawberry.enum_value(
        "embedded_page",
        description="In the app's page: Stripe.js mounts it with the session's clientSecret.",
    )


@strawberry.enum(description="A Customer Portal deep link into one task.")
class PortalFlow(Enum):
    PAYMENT_METHOD_UPDATE = "payment_method_update"
    SUBSCRIPTION_CANCEL = "subscription_cancel"
    SUBSCRIPTION_UPDATE = "subscription_update"


@strawberry.enum(description="Which users an access group holds, by what they bought.")
class AccessCondition(Enum):
    IS_ONE_OF = strawberry.enum_value("is_one_of", description="Bought at least one product.")
    IS_NONE_OF = strawberry.enum_value("is_none_of", description="Bought none of the products.")
    HAS_ALL_OF = strawberry.enum_value("has_all_of", description="Bought every product.")
