"""The one Customer Portal configuration this app keeps in Stripe, and its local record.

The first save creates a `billing_portal.configurations` object; later saves update that same
object, so portal sessions created before and after an admin's change use one configuration id.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, cast

from tortoise.exceptions import IntegrityError

from services.catalog import Catalog
from services.errors import BadUserInput
from services.models import PortalConfiguration
from services.stripe_gateway import StripeGateway, idempotency_key
from services.text import safe_text
from services.urls import RedirectPolicy

if TYPE_CHECKING:
    from stripe.params.billing_portal import ConfigurationCreateParams, ConfigurationUpdateParams

SINGLETON_ID = 1
CANCELLATION_MODES = ("at_period_end", "immediately")
MAX_HEADLINE_LENGTH = 60  # Stripe's limit for business_profile.headline
CUSTOMER_UPDATES = ["email", "name", "address", "phone", "tax_id"]
SUBSCRIPTION_UPDATES = ["price", "quantity", "promotion_code"]
# Until a first save exists, another instance's first save is seen within this many seconds.
UNCONFIGURED_RECHECK_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class PortalOptions:
    cancel_subscription: bool
    update_payment_method: bool
    update_subscription: bool
    invoice_history: bool
    update_customer_details: bool
    cancellation_mode: str = "at_period_end"
    update_subscription_price_ids: tuple[str, ...] = ()
    headline: str | None = None
    default_return_url: str | None = None

    @classmethod
    def from_record(cls, options: dict[str, Any]) -> PortalOptions:
        ids = tuple(options.pop("update_subscription_price_ids", ()))
        return cls(**options, update_subscription_price_ids=ids)


@dataclass(frozen=True, slots=True)
class StoredConfiguration:
    stripe_id: str
    options: PortalOptions


class PortalConfigurations:
    def __init__(
        self, *, stripe: StripeGateway, catalog: Catalog, redirects: RedirectPolicy
    ) -> None:
        self._stripe = stripe
        self._catalog = catalog
        self._redirects = redirects
        self._saving = asyncio.Lock()
        self._known_id: str | None = None
        self._recheck_at = 0.0

    async def configure(self, options: PortalOptions) -> StoredConfiguration:
        params = await self._stripe_params(options)
        record = asdict(options)
        async with self._saving:
            row = await PortalConfiguration.get_or_none(id=SINGLETON_ID)
            if row is None:
                # Keyed by its content: a create cut short (deadline, lost answer) and sent
                # again gets the configuration Stripe already made, not a second one.
                key = idempotency_key("portal-configuration", json.dumps(params, sort_keys=True))
                created = await self._stripe.call(
                    lambda v1: v1.billing_portal.configurations.create_async(
                        params, {"idempotency_key": key}
                    )
                )
                try:
                    row = await PortalConfiguration.create(
                        id=SINGLETON_ID, stripe_configuration_id=created.id, options=record
                    )
                except IntegrityError:
                    # Another instance saved first: keep its configuration, with our options.
                    row = await PortalConfiguration.get(id=SINGLETON_ID)
                else:
                    self._known_id = created.id
                    return StoredConfiguration(created.id, options)
            stripe_id = row.stripe_configuration_id
            await self._stripe.call(
                lambda v1: v1.billing_portal.configurations.update_async(
                    stripe_id, cast("ConfigurationUpdateParams", params)
                )
            )
            row.options = record
            await row.save(update_fields=["options", "updated_at"])
            self._known_id = stripe_id
            return StoredConfiguration(stripe_id, options)

    @staticmethod
    async def current() -> StoredConfiguration | None:
        row = await PortalConfiguration.get_or_none(id=SINGLETON_ID)
        if row is None:
            return None
        return StoredConfiguration(
            row.stripe_configuration_id, PortalOptions.from_record(dict(row.options))
        )

    async def stripe_id(self) -> str | None:
        """The configuration portal sessions use; None means Stripe's default one.

        Read once per process, not per session: the id never changes after the first save,
        since later saves update the same object.
        """
        if self._known_id is None and time.monotonic() >= self._recheck_at:
            ids = await PortalConfiguration.filter(id=SINGLETON_ID).values_list(
                "stripe_configuration_id", flat=True
            )
            if ids:
                self._known_id = str(ids[0])
            else:
                self._recheck_at = time.monotonic() + UNCONFIGURED_RECHECK_SECONDS
        return self._known_id

    async def _stripe_params(self, options: PortalOptions) -> ConfigurationCreateParams:
        """Validate `options` completely (before any Stripe call) and build Stripe's params."""
        if options.cancellation_mode not in CANCELLATION_MODES:
            raise BadUserInput(f"cancellationMode must be one of {', '.join(CANCELLATION_MODES)}.")
        headline = safe_text(options.headline or "", field="headline")
        if len(headline) > MAX_HEADLINE_LENGTH:
            raise BadUserInput(f"headline must have at most {MAX_HEADLINE_LENGTH} characters.")
        return_url = options.default_return_url or ""
        if return_url:
            self._redirects.redirect_url(return_url, field="defaultReturnUrl")
        subscription_update: dict[str, Any] = {"enabled": False}
        if options.update_subscription:
            subscription_update = {
                "enabled": True,
                "default_allowed_updates": SUBSCRIPTION_UPDATES,
                "products": await self._switchable_products(options.update_subscription_price_ids),
                "proration_behavior": "create_prorations",
            }
        customer_update: dict[str, Any] = {"enabled": options.update_customer_details}
        if options.update_customer_details:
            customer_update["allowed_updates"] = CUSTOMER_UPDATES
        return cast(
            "ConfigurationCreateParams",
            {
                "features": {
                    "customer_update": customer_update,
                    "invoice_history": {"enabled": options.invoice_history},
                    "payment_method_update": {"enabled": options.update_payment_method},
                    "subscription_cancel": {
                        "enabled": options.cancel_subscription,
                        "mode": options.cancellation_mode,
                    },
                    "subscription_update": subscription_update,
                },
                "business_profile": {"headline": headline},
                "default_return_url": return_url,
            },
        )

    async def _switchable_products(self, price_ids: tuple[str, ...]) -> list[dict[str, Any]]:
        """Stripe lists switchable prices per product: group the admin's prices that way."""
        if not price_ids:
            raise BadUserInput("updateSubscription needs updateSubscriptionPriceIds.")
        by_product: dict[str, list[str]] = {}
        for price_id in dict.fromkeys(price_ids):
            plan = await self._catalog.purchasable(price_id, "subscription")
            by_product.setdefault(plan.product_id, []).append(plan.price_id)
        return [{"product": product, "prices": prices} for product, prices in by_product.items()]
