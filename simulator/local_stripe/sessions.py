"""The hosted-page sessions the local Stripe keeps: Checkout Sessions and portal sessions.

Each is created by the service through the API and opened by a browser at the URL the API
returned (an embedded Checkout Session: in a frame, by its client secret); the pages read them,
and the actions on `LocalStripe` move them on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.checkout_ui import CheckoutUi, RedirectOnCompletion, UiMode
from simulator.stripe_side.settings import MissingPaymentMethod

CheckoutStatus = Literal["open", "complete", "expired"]
# How long a Checkout Session stays open unless told otherwise (Stripe's default: 24 hours).
CHECKOUT_LIFETIME_SECONDS = 86_400


@dataclass
class CheckoutSession:
    """A Checkout Session for one price (the line item), as the service created it.

    A hosted session has a success and a cancel URL; an embedded one has neither, but a
    client secret (what Stripe.js mounts it with) and, unless it never redirects, a return URL.
    """

    id: str
    customer_id: str
    price: CatalogPrice
    quantity: int
    success_url: str | None
    cancel_url: str | None
    created: int
    expires_at: int
    client_reference_id: str | None = None
    metadata: dict[str, str] | None = None
    trial_days: int | None = None
    allow_promotion_codes: bool = False
    # "if_required" lets a trial start without a card.
    payment_method_collection: str = "always"
    missing_payment_method: MissingPaymentMethod = "create_invoice"
    status: CheckoutStatus = "open"
    subscription_id: str | None = None
    payment_intent_id: str | None = None
    invoice_id: str | None = None
    ui_mode: UiMode = "hosted_page"
    return_url: str | None = None
    redirect_on_completion: RedirectOnCompletion = "always"
    client_secret: str | None = None

    @property
    def ui(self) -> CheckoutUi:
        return CheckoutUi(
            mode=self.ui_mode,
            success_url=self.success_url,
            cancel_url=self.cancel_url,
            return_url=self.return_url,
            redirect_on_completion=self.redirect_on_completion,
            client_secret=self.client_secret,
        )

    @property
    def embedded(self) -> bool:
        return self.ui.embedded

    @property
    def landing_url(self) -> str | None:
        """Where Checkout sends the browser once the session is complete (`CheckoutUi.landing`)."""
        return self.ui.landing(self.id)

    @property
    def mode(self) -> str:
        return "subscription" if self.price.recurring else "payment"

    @property
    def amount_total(self) -> int:
        """What the customer pays today, in cents: nothing when a trial comes first."""
        return 0 if self.trial_days else self.price.unit_amount * self.quantity

    @property
    def card_required(self) -> bool:
        """False only for a trial that may start without a card."""
        return not (self.trial_days and self.payment_method_collection == "if_required")


@dataclass
class PortalSession:
    """A Customer Portal session: whose portal, where it returns, and what it opens on."""

    id: str
    customer_id: str
    return_url: str
    configuration_id: str
    created: int
    # "payment_method_update", "subscription_cancel" or "subscription_update": a deep link.
    flow: str | None = None
    flow_subscription_id: str | None = None
    after_completion_url: str | None = None
