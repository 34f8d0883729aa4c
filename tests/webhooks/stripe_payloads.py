"""Stripe's objects in full, as a webhook endpoint of API version 2026-10-28 receives them.

`support` builds snapshots with only the fields the mirror reads; these carry every field Stripe
renders, with the values that simulator/stripe_side/BEHAVIOUR.md gives for each step of one
customer's life (its row ids name the steps below): Checkout in either billing mode, with the
card on the subscription and none on the customer; a portal cancellation, classic or flexible;
renewing; the period boundary with its draft invoice, then the charge an hour later; the portal's
card update. Each step is one burst of events sharing one `created` second, as Stripe sends them.

Every id is made from a key, so several customers can share one database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from simulator.toolkit.events import event_envelope

BillingMode = Literal["flexible", "classic"]
BILLING_MODES: tuple[BillingMode, ...] = ("flexible", "classic")

DAY = 86400
CHECKOUT_AT = 1_760_000_000
PERIOD_END = CHECKOUT_AT + 30 * DAY
BASIC_AMOUNT = 900
VISA = {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030}
MASTERCARD = {"brand": "mastercard", "last4": "4444", "exp_month": 8, "exp_year": 2031}

Event = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Customer:
    """One customer's ids: everything their Checkout purchase of Basic creates."""

    key: str
    mode: BillingMode = "flexible"

    @property
    def id(self) -> str:
        return f"cus_{self.key}"

    @property
    def user_id(self) -> str:
        return f"user_{self.key}"

    @property
    def subscription(self) -> str:
        return f"sub_{self.key}"

    @property
    def item(self) -> str:
        return f"si_{self.key}"

    @property
    def card(self) -> str:
        return f"pm_{self.key}"

    @property
    def new_card(self) -> str:
        return f"pm_new_{self.key}"

    @property
    def first_invoice(self) -> str:
        return f"in_first_{self.key}"

    @property
    def renewal_invoice(self) -> str:
        return f"in_renewal_{self.key}"

    @property
    def product(self) -> str:
        return f"prod_{self.key}"

    @property
    def price(self) -> str:
        return f"price_{self.key}"


def burst(
    customer: Customer, step: str, at: int, events: list[tuple[str, dict[str, Any], Any]]
) -> list[Event]:
    """One step's events, (type, object, previous_attributes or None), all of second `at`."""
    return [
        event_envelope(f"evt_{customer.key}_{step}_{index:02d}", kind, data, at, previous)
        for index, (kind, data, previous) in enumerate(events)
    ]


# --- objects ---------------------------------------------------------------------------------


def customer_object(customer: Customer, *, default_card: str | None = None) -> dict[str, Any]:
    """BEHAVIOUR: customer.created; `invoice_settings.default_payment_method` stays null through
    Checkout (checkout.subscription.card)."""
    return {
        "id": customer.id,
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": CHECKOUT_AT - 60,
        "currency": "usd",
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": f"{customer.key}@example.com",
        "invoice_prefix": customer.key.upper()[:8],
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": default_card,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {"user_id": customer.user_id},
        "name": None,
        "next_invoice_sequence": 2,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }


def payment_method(card_id: str, customer_id: str | None, card: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": card_id,
        "object": "payment_method",
        "allow_redisplay": "limited",
        "billing_details": {
            "address": {
                "city": None,
                "country": "US",
                "line1": None,
                "line2": None,
                "postal_code": "94103",
                "state": None,
            },
            "email": None,
            "name": "Ada Lovelace",
            "phone": None,
            "tax_id": None,
        },
        "card": {
            **card,
            "checks": {
                "address_line1_check": None,
                "address_postal_code_check": "pass",
                "cvc_check": "pass",
            },
            "country": "US",
            "display_brand": card["brand"],
            "fingerprint": f"fp{card_id[-10:]}",
            "funding": "credit",
            "generated_from": None,
            "networks": {"available": [card["brand"]], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": CHECKOUT_AT,
        "customer": customer_id,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }


def price_object(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.price,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": CHECKOUT_AT - 3600,
        "currency": "usd",
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "nickname": "Basic",
        "product": customer.product,
        "recurring": {
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": BASIC_AMOUNT,
        "unit_amount_decimal": str(BASIC_AMOUNT),
    }


def _billing_mode(mode: BillingMode) -> dict[str, Any]:
    """BEHAVIOUR: mode.flexible-default, mode.classic."""
    if mode == "flexible":
        return {
            "type": "flexible",
            "flexible": {"proration_discounts": "included"},
            "updated_at": CHECKOUT_AT,
        }
    return {"type": "classic", "flexible": None, "updated_at": None}


def subscription_object(
    customer: Customer,
    *,
    status: str,
    period: tuple[int, int] = (CHECKOUT_AT, PERIOD_END),
    latest_invoice: str | None = None,
    cancel_at: int | None = None,
    cancel_at_period_end: bool = False,
    canceled_at: int | None = None,
    ended_at: int | None = None,
) -> dict[str, Any]:
    """BEHAVIOUR: shape.item-periods (the period lives on the item only)."""
    start, end = period
    price = price_object(customer)
    return {
        "id": customer.subscription,
        "object": "subscription",
        "application": None,
        "application_fee_percent": None,
        "automatic_tax": {"disabled_reason": None, "enabled": False, "liability": None},
        "billing_cycle_anchor": CHECKOUT_AT,
        "billing_cycle_anchor_config": None,
        "billing_mode": _billing_mode(customer.mode),
        "billing_thresholds": None,
        "cancel_at": cancel_at,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": canceled_at,
        "cancellation_details": {
            "comment": None,
            "feedback": None,
            "reason": "cancellation_requested" if canceled_at else None,
        },
        "collection_method": "charge_automatically",
        "created": CHECKOUT_AT,
        "currency": "usd",
        "customer": customer.id,
        "days_until_due": None,
        "default_payment_method": customer.card,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "ended_at": ended_at,
        "invoice_settings": {"account_tax_ids": None, "issuer": {"type": "self"}},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": customer.item,
                    "object": "subscription_item",
                    "billing_thresholds": None,
                    "created": CHECKOUT_AT,
                    "current_period_end": end,
                    "current_period_start": start,
                    "discounts": [],
                    "metadata": {},
                    "plan": {
                        "id": price["id"],
                        "object": "plan",
                        "active": True,
                        "amount": BASIC_AMOUNT,
                        "currency": "usd",
                        "interval": "month",
                        "interval_count": 1,
                        "nickname": price["nickname"],
                        "product": customer.product,
                        "usage_type": "licensed",
                    },
                    "price": price,
                    "quantity": 1,
                    "subscription": customer.subscription,
                    "tax_rates": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={customer.subscription}",
        },
        "latest_invoice": latest_invoice or customer.first_invoice,
        "livemode": False,
        "metadata": {"user_id": customer.user_id},
        "next_pending_invoice_item_invoice": None,
        "on_behalf_of": None,
        "pause_collection": None,
        "payment_settings": {
            "payment_method_options": None,
            "payment_method_types": None,
            "save_default_payment_method": "on_subscription",
        },
        "pending_invoice_item_interval": None,
        "pending_setup_intent": None,
        "pending_update": None,
        "schedule": None,
        "start_date": CHECKOUT_AT,
        "status": status,
        "test_clock": None,
        "transfer_data": None,
        "trial_end": None,
        "trial_settings": {"end_behavior": {"missing_payment_method": "create_invoice"}},
        "trial_start": None,
    }


def invoice_object(
    customer: Customer,
    invoice_id: str,
    *,
    status: str,
    billing_reason: str,
    created: int,
    period: tuple[int, int],
    line_period: tuple[int, int],
) -> dict[str, Any]:
    """BEHAVIOUR: shape.invoice-parent, shape.invoice-payments (no payment_intent, no charge).

    A draft has no number, no hosted page and no `effective_at` yet (renewal.draft-then-finalize).
    """
    issued = status != "draft"
    paid = status == "paid"
    sequence = 1 if invoice_id == customer.first_invoice else 2
    return {
        "id": invoice_id,
        "object": "invoice",
        "account_country": "US",
        "account_name": "Billing Portal Test",
        "account_tax_ids": None,
        "amount_due": BASIC_AMOUNT,
        "amount_overpaid": 0,
        "amount_paid": BASIC_AMOUNT if paid else 0,
        "amount_remaining": 0 if paid else BASIC_AMOUNT,
        "amount_shipping": 0,
        "application": None,
        "attempt_count": 1 if paid else 0,
        "attempted": paid,
        "auto_advance": not paid,
        "automatic_tax": {
            "disabled_reason": None,
            "enabled": False,
            "liability": None,
            "provider": None,
            "status": None,
        },
        "automatically_finalizes_at": None if issued else created + 3600,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "confirmation_secret": None,
        "created": created,
        "currency": "usd",
        "custom_fields": None,
        "customer": customer.id,
        "customer_address": None,
        "customer_email": f"{customer.key}@example.com",
        "customer_name": None,
        "customer_phone": None,
        "customer_shipping": None,
        "customer_tax_exempt": "none",
        "customer_tax_ids": [],
        "default_payment_method": None,
        "default_source": None,
        "default_tax_rates": [],
        "description": None,
        "discounts": [],
        "due_date": None,
        "effective_at": created if issued else None,
        "ending_balance": 0 if issued else None,
        "footer": None,
        "from_invoice": None,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}" if issued else None,
        "invoice_pdf": f"https://pay.stripe.com/invoice/{invoice_id}/pdf" if issued else None,
        "issuer": {"type": "self"},
        "last_finalization_error": None,
        "latest_revision": None,
        "lines": {
            "object": "list",
            "data": [
                {
                    "id": f"il_{invoice_id}",
                    "object": "line_item",
                    "amount": BASIC_AMOUNT,
                    "currency": "usd",
                    "description": "1 \u00d7 Basic (at $9.00 / month)",
                    "discount_amounts": [],
                    "discountable": True,
                    "discounts": [],
                    "invoice": invoice_id,
                    "livemode": False,
                    "metadata": {},
                    "parent": {
                        "invoice_item_details": None,
                        "subscription_item_details": {
                            "invoice_item": None,
                            "proration": False,
                            "proration_details": {"credited_items": None},
                            "subscription": customer.subscription,
                            "subscription_item": customer.item,
                        },
                        "type": "subscription_item_details",
                    },
                    "period": {"end": line_period[1], "start": line_period[0]},
                    "pretax_credit_amounts": [],
                    "pricing": {
                        "price_details": {"price": customer.price, "product": customer.product},
                        "type": "price_details",
                        "unit_amount_decimal": str(BASIC_AMOUNT),
                    },
                    "quantity": 1,
                    "taxes": [],
                }
            ],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/invoices/{invoice_id}/lines",
        },
        "livemode": False,
        "metadata": {},
        "next_payment_attempt": None if paid else created + 3600,
        "number": f"{customer.key.upper()[:8]}-{sequence:04d}" if issued else None,
        "on_behalf_of": None,
        "parent": {
            "quote_details": None,
            "subscription_details": {"metadata": {}, "subscription": customer.subscription},
            "type": "subscription_details",
        },
        "payment_settings": {
            "default_mandate": None,
            "payment_method_options": None,
            "payment_method_types": None,
        },
        "period_end": period[1],
        "period_start": period[0],
        "post_payment_credit_notes_amount": 0,
        "pre_payment_credit_notes_amount": 0,
        "receipt_number": None,
        "rendering": None,
        "shipping_cost": None,
        "shipping_details": None,
        "starting_balance": 0,
        "statement_descriptor": None,
        "status": status,
        "status_transitions": {
            "finalized_at": created if issued else None,
            "marked_uncollectible_at": None,
            "paid_at": created if paid else None,
            "voided_at": None,
        },
        "subtotal": BASIC_AMOUNT,
        "subtotal_excluding_tax": BASIC_AMOUNT,
        "test_clock": None,
        "total": BASIC_AMOUNT,
        "total_discount_amounts": [],
        "total_excluding_tax": BASIC_AMOUNT,
        "total_pretax_credit_amounts": [],
        "total_taxes": [],
        "webhooks_delivered_at": created,
    }


def _payment_intent(customer: Customer, invoice_id: str, status: str) -> dict[str, Any]:
    """BEHAVIOUR: checkout.payment.events (no `invoice` field since basil)."""
    return {
        "id": f"pi_{invoice_id}",
        "object": "payment_intent",
        "amount": BASIC_AMOUNT,
        "amount_received": BASIC_AMOUNT if status == "succeeded" else 0,
        "currency": "usd",
        "customer": customer.id,
        "latest_charge": f"ch_{invoice_id}" if status == "succeeded" else None,
        "livemode": False,
        "metadata": {},
        "payment_method": customer.card,
        "status": status,
    }


def _charge(customer: Customer, invoice_id: str) -> dict[str, Any]:
    return {
        "id": f"ch_{invoice_id}",
        "object": "charge",
        "amount": BASIC_AMOUNT,
        "amount_captured": BASIC_AMOUNT,
        "captured": True,
        "currency": "usd",
        "customer": customer.id,
        "livemode": False,
        "paid": True,
        "payment_intent": f"pi_{invoice_id}",
        "payment_method": customer.card,
        "status": "succeeded",
    }


def _invoice_payment(invoice_id: str) -> dict[str, Any]:
    return {
        "id": f"inpay_{invoice_id}",
        "object": "invoice_payment",
        "amount_paid": BASIC_AMOUNT,
        "amount_requested": BASIC_AMOUNT,
        "currency": "usd",
        "invoice": invoice_id,
        "is_default": True,
        "livemode": False,
        "payment": {"payment_intent": f"pi_{invoice_id}", "type": "payment_intent"},
        "status": "paid",
    }


def _checkout_session(customer: Customer) -> dict[str, Any]:
    return {
        "id": f"cs_{customer.key}",
        "object": "checkout.session",
        "amount_subtotal": BASIC_AMOUNT,
        "amount_total": BASIC_AMOUNT,
        "client_reference_id": customer.user_id,
        "created": CHECKOUT_AT - 40,
        "currency": "usd",
        "customer": customer.id,
        "invoice": customer.first_invoice,
        "livemode": False,
        "metadata": {"user_id": customer.user_id},
        "mode": "subscription",
        "payment_intent": None,
        "payment_status": "paid",
        "status": "complete",
        "subscription": customer.subscription,
        "url": None,
    }


# --- steps -----------------------------------------------------------------------------------


def customer_created(customer: Customer) -> list[Event]:
    return burst(
        customer,
        "signup",
        CHECKOUT_AT - 60,
        [("customer.created", customer_object(customer), None)],
    )


def checkout_completed(customer: Customer) -> list[Event]:
    """BEHAVIOUR: checkout.subscription.events, checkout.subscription.card: fourteen events in
    one second, the card on the subscription, no customer.updated."""
    first = customer.first_invoice
    period = (CHECKOUT_AT, CHECKOUT_AT)
    lines = (CHECKOUT_AT, PERIOD_END)

    def first_invoice(status: str) -> dict[str, Any]:
        return invoice_object(
            customer,
            first,
            status=status,
            billing_reason="subscription_create",
            created=CHECKOUT_AT,
            period=period,
            line_period=lines,
        )

    return burst(
        customer,
        "checkout",
        CHECKOUT_AT,
        [
            ("payment_method.attached", payment_method(customer.card, customer.id, VISA), None),
            (
                "customer.subscription.created",
                subscription_object(customer, status="incomplete"),
                None,
            ),
            ("invoice.created", first_invoice("draft"), None),
            ("invoice.updated", first_invoice("draft"), {"automatically_finalizes_at": None}),
            ("invoice.finalized", first_invoice("open"), None),
            ("invoice.updated", first_invoice("open"), {"status": "draft"}),
            (
                "payment_intent.created",
                _payment_intent(customer, first, "requires_confirmation"),
                None,
            ),
            ("charge.succeeded", _charge(customer, first), None),
            ("payment_intent.succeeded", _payment_intent(customer, first, "succeeded"), None),
            ("invoice.paid", first_invoice("paid"), None),
            ("invoice.payment_succeeded", first_invoice("paid"), None),
            ("invoice_payment.paid", _invoice_payment(first), None),
            (
                "customer.subscription.updated",
                subscription_object(customer, status="active"),
                {"status": "incomplete"},
            ),
            ("checkout.session.completed", _checkout_session(customer), None),
        ],
    )


def portal_cancel(customer: Customer, at: int) -> list[Event]:
    """BEHAVIOUR: portal.cancel.classic, portal.cancel.flexible."""
    flexible = customer.mode == "flexible"
    cancelled = subscription_object(
        customer,
        status="active",
        cancel_at=PERIOD_END,
        cancel_at_period_end=not flexible,
        canceled_at=at,
    )
    previous: dict[str, Any] = {
        "cancel_at": None,
        "canceled_at": None,
        "cancellation_details": {"reason": None},
    }
    if not flexible:
        previous["cancel_at_period_end"] = False
    return burst(customer, "cancel", at, [("customer.subscription.updated", cancelled, previous)])


def portal_renew(customer: Customer, cancelled_at: int, at: int) -> list[Event]:
    """BEHAVIOUR: portal.reactivate.classic (and its flexible column in the row details)."""
    previous: dict[str, Any] = {
        "cancel_at": PERIOD_END,
        "canceled_at": cancelled_at,
        "cancellation_details": {"reason": "cancellation_requested"},
    }
    if customer.mode == "classic":
        previous["cancel_at_period_end"] = True
    renewed = subscription_object(customer, status="active")
    return burst(customer, "renew", at, [("customer.subscription.updated", renewed, previous)])


def scheduled_end_reached(customer: Customer, cancelled_at: int) -> list[Event]:
    """BEHAVIOUR: cancel.period-end-reached."""
    ended = subscription_object(
        customer,
        status="canceled",
        cancel_at=PERIOD_END,
        cancel_at_period_end=customer.mode == "classic",
        canceled_at=cancelled_at,
        ended_at=PERIOD_END,
    )
    return burst(customer, "end", PERIOD_END, [("customer.subscription.deleted", ended, None)])


def renewal_invoice(customer: Customer, status: str, created: int) -> dict[str, Any]:
    """The renewal invoice bills the new period; its own period is the one that ended."""
    return invoice_object(
        customer,
        customer.renewal_invoice,
        status=status,
        billing_reason="subscription_cycle",
        created=created,
        period=(CHECKOUT_AT, PERIOD_END),
        line_period=(PERIOD_END, PERIOD_END + 30 * DAY),
    )


def renewal_boundary(customer: Customer) -> list[Event]:
    """BEHAVIOUR: renewal.boundary: the new period, and the renewal's draft invoice."""
    renewed = subscription_object(
        customer,
        status="active",
        period=(PERIOD_END, PERIOD_END + 30 * DAY),
        latest_invoice=customer.renewal_invoice,
    )
    previous = {
        "items": {
            "data": [{"current_period_start": CHECKOUT_AT, "current_period_end": PERIOD_END}]
        },
        "latest_invoice": customer.first_invoice,
    }
    return burst(
        customer,
        "boundary",
        PERIOD_END,
        [
            ("customer.subscription.updated", renewed, previous),
            ("invoice.created", renewal_invoice(customer, "draft", PERIOD_END), None),
        ],
    )


def renewal_charged(customer: Customer) -> list[Event]:
    """BEHAVIOUR: renewal.draft-then-finalize: about an hour after the draft, finalized and paid."""
    at = PERIOD_END + 3600
    renewal = customer.renewal_invoice

    def snapshot(status: str) -> dict[str, Any]:
        return {**renewal_invoice(customer, status, PERIOD_END), "webhooks_delivered_at": at}

    return burst(
        customer,
        "charge",
        at,
        [
            ("invoice.finalized", snapshot("open"), None),
            (
                "payment_intent.created",
                _payment_intent(customer, renewal, "requires_confirmation"),
                None,
            ),
            ("charge.succeeded", _charge(customer, renewal), None),
            ("payment_intent.succeeded", _payment_intent(customer, renewal, "succeeded"), None),
            ("invoice.updated", snapshot("paid"), {"status": "open"}),
            ("invoice.paid", snapshot("paid"), None),
            ("invoice.payment_succeeded", snapshot("paid"), None),
            ("invoice_payment.paid", _invoice_payment(renewal), None),
        ],
    )


def portal_card_update(customer: Customer, at: int) -> list[Event]:
    """BEHAVIOUR: portal.card-update: the new card attached and made the customer's default;
    the subscription keeps Checkout's card."""
    return burst(
        customer,
        "card",
        at,
        [
            (
                "payment_method.attached",
                payment_method(customer.new_card, customer.id, MASTERCARD),
                None,
            ),
            (
                "customer.updated",
                customer_object(customer, default_card=customer.new_card),
                {"invoice_settings": {"default_payment_method": None}},
            ),
        ],
    )
