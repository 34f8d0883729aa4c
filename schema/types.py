"""GraphQL object types: what the API returns (contract section 4)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING

import strawberry

from resolvers.context import Info
from schema.enums import SubscriptionStatus

if TYPE_CHECKING:
    from services.plans import PlanView


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


@strawberry.type(description="One of the viewer's Stripe subscriptions.")
class Subscription:
    id: strawberry.ID
    status: SubscriptionStatus
    price_id: str
    quantity: int
    current_period_end: datetime | None
    cancel_at_period_end: bool
    canceled_at: datetime | None
    trial_end: datetime | None
    created: datetime | None
    stored_product_id: strawberry.Private[str | None]
    stored_plan_name: strawberry.Private[str | None]

    @strawberry.field
    async def product_id(self, info: Info) -> str | None:
        return self.stored_product_id or await self._from_catalog(info, attrgetter("product_id"))

    @strawberry.field
    async def plan_name(self, info: Info) -> str | None:
        return self.stored_plan_name or await self._from_catalog(info, attrgetter("name"))

    async def _from_catalog(self, info: Info, read: Callable[[PlanView], str]) -> str | None:
        """For mirror rows that lack the value: the catalog's (batched per request by a loader)."""
        plan = await info.context.plans.load(self.price_id)
        return read(plan) if plan else None


@strawberry.type
class Invoice:
    id: strawberry.ID
    status: str
    amount_due: int
    amount_paid: int
    currency: str
    created: datetime
    hosted_invoice_url: str | None


@strawberry.type
class PaymentMethod:
    id: strawberry.ID
    brand: str | None
    last4: str | None
    exp_month: int | None
    exp_year: int | None


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
    url: str = strawberry.field(description="Send the browser here to pay.")


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
