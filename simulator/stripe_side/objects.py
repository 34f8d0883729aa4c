"""Stripe objects rendered from the simulated graph, in the shape of the API version events use.

Shapes follow Stripe's 2025+ API (current_period_* on subscription items, an invoice's
subscription under `parent.subscription_details`), the shape real webhooks have today.
"""

from __future__ import annotations

from typing import Any

from simulator.naming import mint_id
from simulator.stripe_side.catalog import CatalogPrice, Feature
from simulator.stripe_side.checkout_ui import CheckoutUi
from simulator.stripe_side.state import (
    CustomerState,
    InvoiceItemState,
    InvoiceState,
    PaymentMethodState,
    PaymentState,
    SubscriptionState,
)

StripeObject = dict[str, Any]


def previous_attributes(before: StripeObject, after: StripeObject) -> StripeObject:
    """An update event's `previous_attributes`: the old value of each field that changed,
    nested objects narrowed to the keys that changed (lists are given whole)."""
    previous: StripeObject = {}
    for key, old in before.items():
        new = after.get(key)
        if old == new:
            continue
        nested = isinstance(old, dict) and isinstance(new, dict)
        previous[key] = previous_attributes(old, new or {}) if nested else old
    return previous


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
        "email": state.email or None,
        "invoice_prefix": "SIM",
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": state.default_payment_method,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {"user_id": state.user_id} if state.user_id else {},
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
        # BEHAVIOUR: shape.item-periods
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
        # Periods renew from the anchor: the start, or the end of a trial; it does not move.
        "billing_cycle_anchor": state.trial_end or state.created,
        "billing_mode": billing_mode(state),
        "cancel_at": state.scheduled_end,
        "cancel_at_period_end": state.cancel_at_period_end,
        "canceled_at": state.canceled_at,
        "cancellation_details": {
            "comment": None,
            "feedback": None,
            "reason": state.cancellation_reason,
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
        "trial_settings": {
            "end_behavior": {"missing_payment_method": state.missing_payment_method}
        },
        "trial_start": state.trial_start,
    }


def billing_mode(state: SubscriptionState) -> StripeObject:
    if state.billing_mode == "flexible":
        # BEHAVIOUR: mode.flexible-default
        return {
            "type": "flexible",
            "flexible": {"proration_discounts": "included"},
            "updated_at": state.created,
        }
    # BEHAVIOUR: mode.classic
    return {"type": "classic", "flexible": None, "updated_at": None}


def invoice(state: InvoiceState, owner: CustomerState) -> StripeObject:
    paid = state.status == "paid"
    # A credit larger than what is billed is not charged: nothing is due.
    due = max(0, state.amount)
    # BEHAVIOUR: shape.invoice-parent
    parent = (
        {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": state.subscription_id},
        }
        if state.subscription_id
        else None
    )
    period_line = _line(
        line_id=f"il_{state.id.removeprefix('in_')}",
        invoice_id=state.id,
        entry=state.price,
        quantity=state.quantity,
        amount=state.period_line_amount,
        description=f"{state.quantity} x {state.price.nickname}",
        # BEHAVIOUR: renewal.boundary (the line carries the service period)
        period=(state.service_start, state.service_end),
        subscription_id=state.subscription_id,
        invoice_item_id=None,
    )
    item_lines = [
        _line(
            line_id=f"il_{item.id.removeprefix('ii_')}",
            invoice_id=state.id,
            entry=item.price,
            quantity=item.quantity,
            amount=item.amount,
            description=item.description,
            period=(item.period_start, item.period_end),
            subscription_id=item.subscription_id,
            invoice_item_id=item.id,
        )
        for item in state.items
    ]
    lines = [period_line, *item_lines] if state.period_line else item_lines
    return {
        "id": state.id,
        "object": "invoice",
        "account_country": "US",
        "amount_due": due,
        "amount_overpaid": 0,
        "amount_paid": due if paid else 0,
        "amount_remaining": 0 if paid else due,
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
            "data": lines,
            "has_more": False,
            "total_count": len(lines),
            "url": f"/v1/invoices/{state.id}/lines",
        },
        "livemode": False,
        "metadata": {},
        # BEHAVIOUR: dunning.retry-schedule
        "next_payment_attempt": state.next_payment_attempt,
        "number": state.number if state.finalized_at else None,
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


def _line(
    *,
    line_id: str,
    invoice_id: str,
    entry: CatalogPrice,
    quantity: int,
    amount: int,
    description: str,
    period: tuple[int, int],
    subscription_id: str | None,
    invoice_item_id: str | None,
) -> StripeObject:
    """One invoice line: the period billed, or an invoice item (a proration) swept in."""
    parent = (
        {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": invoice_item_id,
                # BEHAVIOUR: proration.amounts (a proration's line says so)
                "proration": invoice_item_id is not None,
                "proration_details": {"credited_items": None},
                "subscription": subscription_id,
                "subscription_item": None,
            },
        }
        if subscription_id
        else None
    )
    return {
        "id": line_id,
        "object": "line_item",
        "amount": amount,
        "currency": entry.currency,
        "description": description,
        "discount_amounts": [],
        "discountable": invoice_item_id is None,
        "discounts": [],
        "invoice": invoice_id,
        "livemode": False,
        "metadata": {},
        "parent": parent,
        "period": {"end": period[1], "start": period[0]},
        "pricing": _pricing(entry),
        "quantity": quantity,
        "subscription": subscription_id,
        "taxes": [],
    }


def _pricing(entry: CatalogPrice) -> StripeObject:
    return {
        "type": "price_details",
        "price_details": {"price": entry.price_id, "product": entry.product_id},
        "unit_amount_decimal": str(entry.unit_amount),
    }


def invoice_item(state: InvoiceItemState, owner: CustomerState) -> StripeObject:
    """A pending (or invoiced) invoice item; the ones simulated are a subscription's prorations."""
    # BEHAVIOUR: portal.switch-plan.prorations (the pending items of a prorated change)
    return {
        "id": state.id,
        "object": "invoiceitem",
        "amount": state.amount,
        "currency": state.price.currency,
        "customer": owner.id,
        "date": state.created,
        "description": state.description,
        "discountable": False,
        "discounts": [],
        "invoice": state.invoice_id,
        "livemode": False,
        "metadata": {},
        "net_amount": state.amount,
        "parent": {
            "type": "subscription_details",
            "subscription_details": {
                "subscription": state.subscription_id,
                "subscription_item": state.subscription_item_id,
            },
        },
        "period": {"end": state.period_end, "start": state.period_start},
        "pricing": _pricing(state.price),
        "proration": state.proration,
        "proration_details": {"discount_amounts": []},
        "quantity": state.quantity,
        "tax_rates": [],
        "test_clock": None,
    }


def checkout_session(
    *,
    session_id: str,
    owner: CustomerState,
    entry: CatalogPrice,
    quantity: int,
    created: int,
    status: str,
    ui: CheckoutUi,
    subscription_id: str | None = None,
    payment_intent_id: str | None = None,
    invoice_id: str | None = None,
) -> StripeObject:
    """The session as the events carry it, and as the API answers for it (which adds only
    what no event of the journeys needs: simulator.local_stripe.render)."""
    complete = status == "complete"
    return {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": entry.unit_amount * quantity,
        "amount_total": entry.unit_amount * quantity,
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
        "url": None,
        **ui.session_fields(),
    }


def payment_intent(state: PaymentState, owner: CustomerState) -> StripeObject:
    failed = state.charged and not state.succeeded
    return {
        "id": state.intent_id,
        "object": "payment_intent",
        "amount": state.amount,
        "amount_capturable": 0,
        "amount_received": state.amount if state.succeeded else 0,
        "capture_method": "automatic_async",
        "confirmation_method": "automatic",
        "created": state.created,
        "currency": state.currency,
        "customer": owner.id,
        "description": None,
        "last_payment_error": _card_declined(state) if failed else None,
        "latest_charge": state.charge_id if state.charged else None,
        "livemode": False,
        "metadata": state.metadata,
        "payment_method": state.method_id,
        "payment_method_types": ["card"],
        "status": state.status,
    }


def charge(state: PaymentState, method: PaymentMethodState, owner: CustomerState) -> StripeObject:
    """The charge of a payment; since basil it names no invoice (`invoice_payment` links them)."""
    paid = state.succeeded
    card = method.card
    return {
        "id": state.charge_id,
        "object": "charge",
        "amount": state.amount,
        "amount_captured": state.amount if paid else 0,
        "amount_refunded": state.amount_refunded,
        "balance_transaction": None,
        "billing_details": {"address": None, "email": None, "name": None, "phone": None},
        "captured": paid,
        "created": state.created,
        "currency": state.currency,
        "customer": owner.id,
        "description": None,
        "failure_code": None if paid else "card_declined",
        "failure_message": None if paid else "Your card was declined.",
        "livemode": False,
        "metadata": state.metadata,
        "outcome": {
            "network_status": "approved_by_network" if paid else "declined_by_network",
            "reason": None if paid else "generic_decline",
            "risk_level": "normal",
            "seller_message": "Payment complete."
            if paid
            else "The bank did not return any further details with this decline.",
            "type": "authorized" if paid else "issuer_declined",
        },
        "paid": paid,
        "payment_intent": state.intent_id,
        "payment_method": method.id,
        "payment_method_details": {
            "type": "card",
            "card": {
                "brand": card.brand,
                "country": "US",
                "exp_month": card.exp_month,
                "exp_year": card.exp_year,
                "funding": "credit",
                "last4": card.last4,
            },
        },
        "refunded": paid and state.amount_refunded == state.amount,
        "status": "succeeded" if paid else "failed",
    }


def invoice_payment(invoice: InvoiceState, payment: PaymentState) -> StripeObject:
    """The link from an invoice to the payment that paid it (basil's `InvoicePayment`)."""
    return {
        "id": f"inpay_{invoice.id.removeprefix('in_')}",
        "object": "invoice_payment",
        "amount_paid": payment.amount,
        "amount_requested": payment.amount,
        "created": payment.created,
        "currency": payment.currency,
        "invoice": invoice.id,
        "is_default": True,
        "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": payment.intent_id},
        "status": "paid",
        "status_transitions": {"canceled_at": None, "paid_at": invoice.paid_at},
    }


def _card_declined(state: PaymentState) -> StripeObject:
    return {
        "charge": state.charge_id,
        "code": "card_declined",
        "decline_code": "generic_decline",
        "message": "Your card was declined.",
        "payment_method": {"id": state.method_id},
        "type": "card_error",
    }


def checkout_line_item(session_id: str, entry: CatalogPrice, quantity: int) -> StripeObject:
    """One line of a Checkout Session, as `GET /v1/checkout/sessions/{id}/line_items` lists it."""
    amount = entry.unit_amount * quantity
    return {
        "id": mint_id("li", session_id, entry.price_id),
        "object": "item",
        "amount_discount": 0,
        "amount_subtotal": amount,
        "amount_tax": 0,
        "amount_total": amount,
        "currency": entry.currency,
        "description": entry.product_name,
        "price": price(entry, 0),
        "quantity": quantity,
    }


def refund(state: PaymentState, created: int) -> StripeObject:
    """A card refund of the whole payment (card refunds in test mode succeed at once)."""
    return {
        "id": state.refund_id,
        "object": "refund",
        "amount": state.amount_refunded,
        "charge": state.charge_id,
        "created": created,
        "currency": state.currency,
        "metadata": {},
        "payment_intent": state.intent_id,
        "reason": "requested_by_customer",
        "status": "succeeded",
    }


def entitlement_summary(owner: CustomerState, features: tuple[Feature, ...]) -> StripeObject:
    """The customer's active entitlements: one per feature of what they subscribe to."""
    return {
        "object": "entitlements.active_entitlement_summary",
        "customer": owner.id,
        "entitlements": {
            "object": "list",
            "data": [
                {
                    "id": mint_id("ent", owner.id, feature.id),
                    "object": "entitlements.active_entitlement",
                    "feature": feature.id,
                    "livemode": False,
                    "lookup_key": feature.lookup_key,
                }
                for feature in features
            ],
            "has_more": False,
            "url": "/v1/entitlements/active_entitlements",
        },
        "livemode": False,
    }
