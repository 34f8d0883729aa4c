"""GraphQL object types: what the API returns."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import AccessCondition, SubscriptionStatus


@strawberry.type(description="A price a customer can buy, with its product.")
class Plan:
    price_id: str
    product_id: str
    name: str = strawberry.field(description="The product's name.")
    unit_amount: int | None = strawberry.field(description="In the currency's smallest unit.")
    currency: str
    interval: str | None = strawberry.field(description="day, week, month or year; null: one-time.")
    interval_count: int | None
    nickname: str | None


@strawberry.type(
    description="A saved card. Only its id is known until Stripe has described the card."
)
class PaymentMethod:
    id: strawberry.ID
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


@strawberry.type(description="One of the viewer's Stripe subscriptions.")
class Subscription:
    id: strawberry.ID
    status: SubscriptionStatus
    price_id: str
    quantity: int
    current_period_end: datetime | None
    cancel_at_period_end: bool = strawberry.field(
        description="Ends when its current period does (set in either billing mode)."
    )
    cancel_at: datetime | None = strawberry.field(
        description="When a scheduled cancellation ends it; null if none is scheduled."
    )
    canceled_at: datetime | None
    trial_end: datetime | None
    created: datetime | None
    product_id: str | None
    plan_name: str | None
    default_payment_method: PaymentMethod | None = strawberry.field(
        description="The card its invoices are charged to (Checkout saves it here)."
    )


@strawberry.type
class Invoice:
    id: strawberry.ID
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_invoice_url: str | None


@strawberry.type(description="What a Customer Portal block shows, and where the portal returns.")
class PortalBlock:
    id: strawberry.ID
    title: str
    subtitle: str | None
    background_image_url: str | None
    redirect_url: str


@strawberry.type
class CheckoutSession:
    id: str
    url: str | None = strawberry.field(description="HOSTED: send the browser here to pay.")
    client_secret: str | None = strawberry.field(
        description="EMBEDDED: what Stripe.js mounts the payment form with (keep it private)."
    )


@strawberry.type
class PortalSession:
    id: str
    url: str = strawberry.field(description="Send the browser here to manage billing.")
    return_url: str = strawberry.field(description="Where the portal sends the browser back.")


@strawberry.type(description="The Customer Portal configuration portal sessions use.")
class PortalConfiguration:
    id: str = strawberry.field(description="Stripe's billing_portal configuration id.")
    cancel_subscription: bool
    cancellation_mode: str
    update_payment_method: bool
    update_subscription: bool
    update_subscription_price_ids: list[str]
    invoice_history: bool
    update_customer_details: bool
    headline: str | None
    default_return_url: str | None


@strawberry.type(description="Users grouped by what they bought (a payment condition).")
class AccessGroup:
    key: str = strawberry.field(description="Stable slug the app gates on.")
    name: str
    condition: AccessCondition
    product_ids: list[str]
