"""GraphQL input types (contract section 4); the services check their values."""

from __future__ import annotations

import strawberry

from schema.enums import CheckoutMode, PortalFlow


@strawberry.input(description="What to sell in a Stripe Checkout Session.")
class CheckoutInput:
    price_id: str
    success_url: str = strawberry.field(
        description="Where Stripe sends the browser after payment ({CHECKOUT_SESSION_ID} allowed)."
    )
    cancel_url: str
    quantity: int | None = 1
    mode: CheckoutMode | None = CheckoutMode.SUBSCRIPTION
    allow_promotion_codes: bool | None = False
    trial_days: int | None = None


@strawberry.input(description="Exactly one of blockId and returnUrl.")
class PortalSessionInput:
    block_id: strawberry.ID | None = None
    return_url: str | None = None
    flow: PortalFlow | None = None


@strawberry.input(description="A Customer Portal block; without id a new block is created.")
class PortalBlockInput:
    title: str
    redirect_url: str = strawberry.field(description="Absolute https URL on an allowed host.")
    id: strawberry.ID | None = None
    subtitle: str | None = None
    background_image_url: str | None = None


@strawberry.input(description="What customers may do in the Customer Portal.")
class PortalConfigurationInput:
    cancel_subscription: bool
    update_payment_method: bool
    update_subscription: bool
    invoice_history: bool
    update_customer_details: bool
    cancellation_mode: str | None = strawberry.field(
        default="at_period_end", description="at_period_end or immediately."
    )
    update_subscription_price_ids: list[str] | None = strawberry.field(
        default=None, description="Prices customers may switch between (needs updateSubscription)."
    )
    headline: str | None = None
    default_return_url: str | None = None
