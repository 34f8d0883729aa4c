"""GraphQL input types and the service requests they become; the services check the values.

A default shown in the SDL is the service request's own (`service_default`), and a null takes it
too (`request_of`), so each default is written once.
"""

from __future__ import annotations

import strawberry

from schema.enums import AccessCondition, CheckoutMode, CheckoutUiMode, PortalFlow
from schema.mapping import request_of, service_default
from services.access_groups import MAX_KEY_LENGTH, MAX_PRODUCTS, GroupDefinition
from services.checkout import CheckoutRequest
from services.portal_blocks import BlockInput
from services.portal_configuration import CANCELLATION_MODES, PortalOptions


@strawberry.input(description="What to sell in a Stripe Checkout Session.")
class CheckoutInput:
    price_id: str
    success_url: str | None = strawberry.field(
        default=None,
        description=(
            "HOSTED (required): where Stripe sends the browser after payment "
            "({CHECKOUT_SESSION_ID} allowed)."
        ),
    )
    cancel_url: str | None = strawberry.field(
        default=None, description="HOSTED (required): where Stripe's page goes back to."
    )
    return_url: str | None = strawberry.field(
        default=None,
        description=(
            "EMBEDDED (required): where the embedded form sends the browser when it is done "
            "({CHECKOUT_SESSION_ID} allowed)."
        ),
    )
    quantity: int | None = service_default(CheckoutRequest, "quantity")
    mode: CheckoutMode | None = CheckoutMode(service_default(CheckoutRequest, "mode"))
    ui_mode: CheckoutUiMode | None = CheckoutUiMode(service_default(CheckoutRequest, "ui_mode"))
    allow_promotion_codes: bool | None = service_default(CheckoutRequest, "allow_promotion_codes")
    trial_days: int | None = None

    def request(self) -> CheckoutRequest:
        return request_of(
            CheckoutRequest,
            self,
            mode=self.mode.value if self.mode else None,
            ui_mode=self.ui_mode.value if self.ui_mode else None,
        )


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

    def request(self) -> BlockInput:
        return request_of(BlockInput, self)


@strawberry.input(description="What customers may do in the Customer Portal.")
class PortalConfigurationInput:
    cancel_subscription: bool
    update_payment_method: bool
    update_subscription: bool
    invoice_history: bool
    update_customer_details: bool
    cancellation_mode: str | None = strawberry.field(
        default=service_default(PortalOptions, "cancellation_mode"),
        description=f"{' or '.join(CANCELLATION_MODES)}.",
    )
    update_subscription_price_ids: list[str] | None = strawberry.field(
        default=None, description="Prices customers may switch between (needs updateSubscription)."
    )
    headline: str | None = None
    default_return_url: str | None = None

    def request(self) -> PortalOptions:
        ids = self.update_subscription_price_ids
        return request_of(
            PortalOptions,
            self,
            update_subscription_price_ids=tuple(ids) if ids is not None else None,
        )


@strawberry.input(description="An access group; saving under an existing key replaces it.")
class AccessGroupInput:
    key: str = strawberry.field(
        description=f"A slug of at most {MAX_KEY_LENGTH} characters (a-z, 0-9, single dashes)."
    )
    name: str
    condition: AccessCondition
    product_ids: list[str] = strawberry.field(
        description=f"1 to {MAX_PRODUCTS} product ids the catalog has."
    )

    def request(self) -> GroupDefinition:
        return request_of(
            GroupDefinition,
            self,
            condition=self.condition.value,
            product_ids=tuple(self.product_ids),
        )
