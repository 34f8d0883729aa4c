"""Stripe objects rendered from the simulated graph, in the shape of the API version events use.

Shapes follow Stripe's 2025+ API (current_period_* on subscription items, an invoice's
subscription under `parent.subscription_details`), the shape real webhooks have today.
"""

from __future__ import annotations

from typing import Any

from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.state import (
    CustomerState,
    InvoiceState,
    PaymentMethodState,
    SubscriptionState,
)

StripeObject = dict[str, Any]


def product(price: CatalogPrice, created: int) -> StripeObject:
    return {
        "id": price.product_id,
        "object": "product",
        "active": True,
        "created": created,
        "default_price": price.price_id,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": price.product_name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": created,
        "url": None,
    }


def price(entry: CatalogPrice, created: int) -> StripeObject:
    recurring = (
        {"interval": entry.interval, "interval_count": 1, "meter": None, "usage_type": "licensed"}
        if entry.interval is not None
        else None
    )
    return {
        "id": entry.price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": created,
        "currency": entry.currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": entry.nickname,
        "product": entry.product_id,
        "recurring": recurring,
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": entry.unit_amount,
        "unit_amount_decimal": str(entry.unit_amount),
    }


def customer(state: CustomerState) -> StripeObject:
    return {
        "id": state.id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": state.created,
        "currency": "usd",
        "default_source": None,
        "delinquent": False,
        "description": None,
        "email": state.email,
        "invoice_prefix": "SIM",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": state.default_payment_method,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {"user_id": state.user_id},
        "name": None,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def payment_method(state: PaymentMethodState) -> StripeObject:
    card = state.card
    return {
        "id": state.id,
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "card": {
            "brand": card.brand,
            "checks": {"address_line1_check": None, "cvc_check": "pass"},
            "country": "US",
            "display_brand": card.brand,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "fingerprint": f"fp{card.last4}{card.brand}",
            "funding": "credit",
            "last4": card.last4,
            "networks": {"available": [card.brand], "preferred": None},
            "wallet": None,
        },
        "created": state.created,
        "customer": state.customer_id,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }


def subscription(state: SubscriptionState, owner: CustomerState) -> StripeObject:
    item = {
        "id": state.item_id,
        "object": "subscription_item",
        "created": state.created,
        "current_period_end": state.period_end,
        "current_period_start": state.period_start,
        "discounts": [],
        "metadata": {},
        "price": price(state.price, state.created),
        "quantity": state.quantity,
        "subscription": state.id,
        "tax_rates": [],
    }
    return {
        "id": state.id,
        "object": "subscription",
        "application": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": state.period_start,
        "cancel_at": state.period_end if state.cancel_at_period_end else None,
        "cancel_at_period_end": state.cancel_at_period_end,
        "canceled_at": state.canceled_at,
        "cancellation_details": {
            "comment": None,
            "feedback": None,
            "reason": "cancellation_requested" if state.canceled_at else None,
        },
        "collection_method": "charge_automatically",
        "created": state.created,
        "currency": state.price.currency,
        "customer": owner.id,
        "default_payment_method": state.default_payment_method,
        "description": None,
        "discounts": [],
        "ended_at": state.ended_at,
        "items": {
            "object": "list",
            "data": [item],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={state.id}",
        },
        "latest_invoice": state.latest_invoice,
        "livemode": False,
        "metadata": {"user_id": owner.user_id},
        "pause_collection": None,
        "pending_update": None,
        "schedule": None,
        "start_date": state.created,
        "status": state.status,
        "test_clock": None,
        "trial_end": state.trial_end,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": state.trial_start,
    }


def invoice(state: InvoiceState, owner: CustomerState) -> StripeObject:
    paid = state.status == "paid"
    parent = (
        {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": state.subscription_id},
        }
        if state.subscription_id
        else None
    )
    line_parent = (
        {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": state.subscription_id,
                "subscription_item": None,
            },
        }
        if state.subscription_id
        else None
    )
    line = {
        "id": f"il_{state.id.removeprefix('in_')}",
        "object": "line_item",
        "amount": state.amount,
        "currency": state.price.currency,
        "description": f"{state.quantity} x {state.price.nickname}",
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": state.id,
        "livemode": False,
        "metadata": {},
        "parent": line_parent,
        "period": {"end": state.period_end, "start": state.period_start},
        "pricing": {
            "type": "price_details",
            "price_details": {"price": state.price.price_id, "product": state.price.product_id},
            "unit_amount_decimal": str(state.price.unit_amount),
        },
        "quantity": state.quantity,
        "subscription": state.subscription_id,
        "taxes": [],
    }
    return {
        "id": state.id,
        "object": "invoice",
        "account_country": "US",
        "amount_due": state.amount,
        "amount_overpaid": 0,
        "amount_paid": state.amount if paid else 0,
        "amount_remaining": 0 if paid else state.amount,
        "attempt_count": state.attempt_count,
        "attempted": state.attempt_count > 0,
        "auto_advance": not paid,
        "billing_reason": state.billing_reason,
        "collection_method": "charge_automatically",
        "created": state.created,
        "currency": state.price.currency,
        "customer": owner.id,
        "customer_email": owner.email,
        "default_payment_method": None,
        "description": None,
        "hosted_invoice_url": (
            f"https://invoice.stripe.com/i/sim/{state.id}" if state.finalized_at else None
        ),
        "invoice_pdf": None,
        "lines": {
            "object": "list",
            "data": [line],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/invoices/{state.id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None,
        "number": state.number,
        "parent": parent,
        "period_end": state.period_end,
        "period_start": state.period_start,
        "status": state.status,
        "status_transitions": {
            "finalized_at": state.finalized_at,
            "marked_uncollectible_at": None,
            "paid_at": state.paid_at,
            "voided_at": None,
        },
        "subtotal": state.amount,
        "total": state.amount,
        "webhooks_delivered_at": None,
    }


def checkout_session(
    *,
    session_id: str,
    owner: CustomerState,
    entry: CatalogPrice,
    quantity: int,
    created: int,
    status: str,
    success_url: str,
    cancel_url: str,
    subscription_id: str | None = None,
    payment_intent_id: str | None = None,
    invoice_id: str | None = None,
) -> StripeObject:
    complete = status == "complete"
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": entry.unit_amount * quantity,
        "amount_total": entry.unit_amount * quantity,
        "cancel_url": cancel_url,
        "client_reference_id": owner.user_id,
        "created": created,
        "currency": entry.currency,
        "customer": owner.id,
        "customer_email": None,
        "expires_at": created + 86_400,
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {"user_id": owner.user_id},
        "mode": "subscription" if entry.recurring else "payment",
        "payment_intent": payment_intent_id,
        "payment_status": "paid" if complete else "unpaid",
        "status": status,
        "subscription": subscription_id,
        "success_url": success_url,
        "url": None,
    }


def payment_intent(
    *, intent_id: str, owner: CustomerState, amount: int, currency: str, method: str, created: int
) -> StripeObject:
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount,
        "currency": currency,
        "created": created,
        "customer": owner.id,
        "livemode": False,
        "metadata": {"user_id": owner.user_id},
        "payment_method": method,
        "payment_method_types": ["card"],
        "status": "succeeded",
    }
