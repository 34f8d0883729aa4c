"""Checkout: a Stripe Checkout Session that sells one catalog price to the signed-in user.

Everything the caller sent is checked before any Stripe call, so bad input costs nothing and
leaves nothing behind. The session carries the user id twice (client_reference_id and
metadata.user_id) so the completion webhook can link the purchase to the user.

A hosted session is a page on Stripe the browser is sent to (`url`), which sends it on to the
success or cancel URL. An embedded one is mounted in the app's own page by Stripe.js with the
session's `client_secret`, and sends the browser to the return URL when it is done: it has no
`url`, and Stripe refuses success and cancel URLs for it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from services.catalog import Catalog, CheckoutMode
from services.customers import StripeCustomers
from services.errors import BadUserInput, PaymentProviderError
from services.rate_limit import SessionLimiter
from services.stripe_gateway import StripeGateway, idempotency_key
from services.urls import RedirectPolicy
from services.users import BillingUser

if TYPE_CHECKING:
    from stripe.params.checkout import SessionCreateParams

MAX_QUANTITY = 10_000
MAX_TRIAL_DAYS = 730  # Stripe's own limit for trial_period_days
MAX_PRICE_ID_LENGTH = 255
# A double-click within this window returns the same session instead of a second one.
DEDUPLICATION_SECONDS = 60

# Stripe's names since API 2026-03-25 (before: `hosted`, `embedded`).
UiMode = Literal["hosted_page", "embedded_page"]
UI_MODE_NAMES: dict[UiMode, str] = {"hosted_page": "HOSTED", "embedded_page": "EMBEDDED"}
# Where each UI mode sends the browser afterwards, by the input's field names.
REDIRECT_FIELDS: dict[UiMode, tuple[str, ...]] = {
    "hosted_page": ("successUrl", "cancelUrl"),
    "embedded_page": ("returnUrl",),
}


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    price_id: str
    success_url: str | None = None
    cancel_url: str | None = None
    return_url: str | None = None
    quantity: int = 1
    mode: CheckoutMode = "subscription"
    ui_mode: UiMode = "hosted_page"
    allow_promotion_codes: bool = False
    trial_days: int | None = None


@dataclass(frozen=True, slots=True)
class CheckoutSessionView:
    """`url` for a hosted session, `client_secret` for an embedded one; never both."""

    id: str
    url: str | None = None
    client_secret: str | None = None


class CheckoutSessions:
    def __init__(
        self,
        *,
        stripe: StripeGateway,
        catalog: Catalog,
        customers: StripeCustomers,
        redirects: RedirectPolicy,
        limiter: SessionLimiter,
    ) -> None:
        self._stripe = stripe
        self._catalog = catalog
        self._customers = customers
        self._redirects = redirects
        self._limiter = limiter

    async def create(self, user: BillingUser, request: CheckoutRequest) -> CheckoutSessionView:
        await self._limiter.hit(user.user_id)
        _check_shape(request)
        self._check_redirects(request)
        await self._catalog.purchasable(request.price_id, request.mode)
        customer_id = await self._customers.ensure_customer(user)
        params = _session_params(user, customer_id, request)
        key = idempotency_key(
            "checkout",
            user.user_id,
            repr(sorted(params.items())),
            str(int(time.time()) // DEDUPLICATION_SECONDS),
        )
        # Two fields of a large object are needed: plain JSON spares building its StripeObjects.
        session = await self._stripe.post_raw("/v1/checkout/sessions", params, idempotency_key=key)
        return _view(session, request.ui_mode)

    def _check_redirects(self, request: CheckoutRequest) -> None:
        """The URLs the session's UI mode uses, each an allowed redirect; none of the others."""
        given = {
            "successUrl": request.success_url,
            "cancelUrl": request.cancel_url,
            "returnUrl": request.return_url,
        }
        wanted = REDIRECT_FIELDS[request.ui_mode]
        mode = UI_MODE_NAMES[request.ui_mode]
        for field, url in given.items():
            if field not in wanted and url is not None:
                raise BadUserInput(f"{field} does not apply to uiMode {mode}.")
        for field in wanted:
            url = given[field]
            if url is None:
                raise BadUserInput(f"uiMode {mode} needs {field}.")
            self._redirects.redirect_url(url, field=field)


def _view(session: dict[str, object], ui_mode: UiMode) -> CheckoutSessionView:
    session_id = str(session["id"])
    if ui_mode == "embedded_page":
        secret = session.get("client_secret")
        if not isinstance(secret, str):
            raise PaymentProviderError("The payment provider returned no client secret.")
        return CheckoutSessionView(id=session_id, client_secret=secret)
    url = session.get("url")
    if not isinstance(url, str):
        raise PaymentProviderError("The payment provider returned no checkout page.")
    return CheckoutSessionView(id=session_id, url=url)


def _check_shape(request: CheckoutRequest) -> None:
    if not request.price_id.strip() or len(request.price_id) > MAX_PRICE_ID_LENGTH:
        raise BadUserInput("priceId must name a plan.")
    if not 1 <= request.quantity <= MAX_QUANTITY:
        raise BadUserInput(f"quantity must be between 1 and {MAX_QUANTITY}.")
    if request.trial_days is not None:
        if request.mode != "subscription":
            raise BadUserInput("trialDays applies to mode SUBSCRIPTION only.")
        if not 1 <= request.trial_days <= MAX_TRIAL_DAYS:
            raise BadUserInput(f"trialDays must be between 1 and {MAX_TRIAL_DAYS}.")


def _session_params(
    user: BillingUser, customer_id: str, request: CheckoutRequest
) -> SessionCreateParams:
    user_metadata = {"user_id": user.user_id}
    params: SessionCreateParams = {
        "mode": request.mode,
        "line_items": [{"price": request.price_id, "quantity": request.quantity}],
        "ui_mode": request.ui_mode,
        "customer": customer_id,
        "client_reference_id": user.user_id,
        "metadata": user_metadata,
        "allow_promotion_codes": request.allow_promotion_codes,
    }
    if request.success_url is not None:
        params["success_url"] = request.success_url
    if request.cancel_url is not None:
        params["cancel_url"] = request.cancel_url
    if request.return_url is not None:
        params["return_url"] = request.return_url
    if request.mode == "subscription":
        params["subscription_data"] = {"metadata": user_metadata}
        if request.trial_days is not None:
            params["subscription_data"]["trial_period_days"] = request.trial_days
    else:
        params["payment_intent_data"] = {"metadata": user_metadata}
        # Without it a one-time purchase leaves no invoice, so it would never show in
        # viewer.invoices (Stripe bills subscriptions with invoices on its own).
        params["invoice_creation"] = {
            "enabled": True,
            "invoice_data": {"metadata": user_metadata},
        }
    return params
