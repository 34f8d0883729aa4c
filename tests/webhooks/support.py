"""Stripe events for the webhook tests: snapshots of each object the mirror reads, wrapped and
signed by the QA toolkit (simulator.toolkit), and the mirror's rows to compare them with.

The builders return Stripe-shaped snapshots of the SDK's API version, with only the fields the
mirror reads.
"""

from __future__ import annotations

import json
from itertools import count
from typing import Any

import httpx

from services.models import Customer, Invoice, PaymentMethod, Price, Product, Subscription, User
from simulator.toolkit.events import event_envelope
from simulator.toolkit.signing import webhook_headers

_event_numbers = count(1)
BASE_TIME = 1_760_000_000
MIRROR_MODELS = (Customer, Subscription, PaymentMethod, Invoice, Product, Price)


def event(
    event_type: str, snapshot: dict[str, Any], *, created: int, event_id: str | None = None
) -> dict[str, Any]:
    """The snapshot in an envelope, with a fresh id unless one is given."""
    event_id = event_id or f"evt_test_{next(_event_numbers):08d}"
    return event_envelope(event_id, event_type, snapshot, created)


async def deliver(
    client: httpx.AsyncClient, body: dict[str, Any] | str, secret: str
) -> httpx.Response:
    """POST `body` (an event, or any raw text) signed with `secret`, as Stripe delivers it."""
    payload = body if isinstance(body, str) else json.dumps(body)
    return await client.post(
        "/webhooks/stripe", content=payload, headers=webhook_headers(payload, secret)
    )


def subscription(
    subscription_id: str,
    customer: str,
    status: str,
    *,
    price: str = "price_basic",
    product: str = "prod_basic",
    nickname: str | None = None,
    quantity: int = 1,
    cancel_at_period_end: bool = False,
    canceled_at: int | None = None,
    trial_end: int | None = None,
    period_end: int = BASE_TIME + 30 * 86400,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": canceled_at,
        "trial_end": trial_end,
        "created": BASE_TIME,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{subscription_id}",
                    "object": "subscription_item",
                    "quantity": quantity,
                    "current_period_end": period_end,
                    "price": {
                        "id": price,
                        "object": "price",
                        "product": product,
                        "nickname": nickname,
                    },
                }
            ],
        },
    }


def invoice(
    invoice_id: str,
    customer: str,
    status: str,
    *,
    subscription_id: str | None = None,
    amount: int = 1500,
) -> dict[str, Any]:
    parent = (
        {"type": "subscription_details", "subscription_details": {"subscription": subscription_id}}
        if subscription_id
        else None
    )
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": customer,
        "status": status,
        "amount_due": amount,
        "amount_paid": amount if status == "paid" else 0,
        "currency": "usd",
        "created": BASE_TIME,
        "hosted_invoice_url": f"https://invoice.stripe.com/i/{invoice_id}",
        "parent": parent,
    }


def customer(
    customer_id: str,
    *,
    user_id: str | None = None,
    email: str | None = "ada@example.com",
    default_payment_method: str | None = None,
) -> dict[str, Any]:
    return {
        "id": customer_id,
        "object": "customer",
        "email": email,
        "metadata": {"user_id": user_id} if user_id else {},
        "invoice_settings": {"default_payment_method": default_payment_method},
    }


def card(payment_method_id: str, customer_id: str | None, *, last4: str = "4242") -> dict[str, Any]:
    return {
        "id": payment_method_id,
        "object": "payment_method",
        "type": "card",
        "customer": customer_id,
        "card": {"brand": "visa", "last4": last4, "exp_month": 12, "exp_year": 2030},
    }


def product(product_id: str, name: str, *, active: bool = True) -> dict[str, Any]:
    return {"id": product_id, "object": "product", "name": name, "active": active}


def price(
    price_id: str,
    product_id: str,
    *,
    unit_amount: int = 1500,
    interval: str | None = "month",
    active: bool = True,
) -> dict[str, Any]:
    return {
        "id": price_id,
        "object": "price",
        "product": product_id,
        "active": active,
        "unit_amount": unit_amount,
        "currency": "usd",
        "nickname": None,
        "recurring": {"interval": interval, "interval_count": 1} if interval else None,
        "type": "recurring" if interval else "one_time",
    }


def checkout_session(
    session_id: str,
    customer_id: str,
    *,
    user_id: str | None,
    mode: str = "subscription",
    metadata_user_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": session_id,
        "object": "checkout.session",
        "customer": customer_id,
        "client_reference_id": user_id,
        "metadata": {"user_id": metadata_user_id} if metadata_user_id else {},
        "mode": mode,
        "status": "complete",
    }


async def mirror_state(ids: set[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every mirror row (optionally only these ids) without bookkeeping columns, for comparing."""
    state: dict[str, list[dict[str, Any]]] = {}
    for model in MIRROR_MODELS:
        query = model.all() if ids is None else model.filter(id__in=ids)
        rows = await query.order_by("id").values()
        state[model.__name__] = [
            {key: value for key, value in row.items() if key != "updated_at"} for row in rows
        ]
    return state


async def linked_customer(user_id: str) -> str | None:
    user = await User.get_or_none(external_id=user_id)
    return user.stripe_customer_id if user else None
