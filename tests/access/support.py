"""What the access tests share: a catalog, a Stripe whose answers name it, and the events of
purchases, refunds and entitlement summaries (subscriptions come from tests.webhooks.support).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from itertools import count
from typing import Any

from services.models import Price, Product
from services.stripe_gateway import StripeGateway
from tests.webhooks import support as s

BASIC, PRO, EBOOK = "prod_basic", "prod_pro", "prod_ebook"
PRICES = {BASIC: "price_basic", PRO: "price_pro", EBOOK: "price_ebook"}
_ids = count(1)

ACCESS_GROUPS = """
query { viewer { accessGroups } }
"""
SAVE_GROUP = """
mutation ($input: AccessGroupInput!) {
  saveAccessGroup(input: $input) { key name condition productIds }
}
"""


async def seed_catalog() -> None:
    """Basic and Pro by the month, and an e-book sold once, as the catalog events store them."""
    for product_id, name in ((BASIC, "Basic"), (PRO, "Pro"), (EBOOK, "E-book")):
        await Product.create(id=product_id, name=name)
        interval = None if product_id == EBOOK else "month"
        await Price.create(
            id=PRICES[product_id],
            product_id=product_id,
            unit_amount=900,
            currency="usd",
            interval=interval,
        )


def fresh(prefix: str) -> str:
    """An id no other test uses."""
    return f"{prefix}_{next(_ids):06d}"


class CatalogStripe(StripeGateway):
    """stripe-mock, which validates every request, with answers that name this test's catalog:
    the line items of the sessions registered in `line_items` (stripe-mock answers any session
    with one fixture item), and the pages listed in `pages` (by list URL, after the first).
    `listed` counts the lists read, by URL."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.line_items: dict[str, list[str]] = {}
        self.listed: dict[str, int] = {}

    async def call(self, operation: Callable[[Any], Awaitable[Any]]) -> Any:
        result = await super().call(operation)
        url = getattr(result, "url", None)
        if getattr(result, "object", None) == "list" and isinstance(url, str):
            self.listed[url] = self.listed.get(url, 0) + 1
            session_id = url.removeprefix("/v1/checkout/sessions/").removesuffix("/line_items")
            if session_id in self.line_items:
                _name_products(result, session_id, self.line_items[session_id])
        return result

    def sells(self, session_id: str, products: Iterable[str]) -> None:
        """The session's line items are one of each of `products`."""
        self.line_items[session_id] = list(products)

    def line_item_reads(self, session_id: str) -> int:
        return self.listed.get(f"/v1/checkout/sessions/{session_id}/line_items", 0)


def _name_products(page: Any, session_id: str, products: list[str]) -> None:
    """The page lists one item of each product, with the ids Stripe keeps for the session."""
    [template] = page.data[:1]
    items = []
    for product_id in products:
        item = type(template).construct_from(template.to_dict(), template.api_key)
        item["id"] = f"li_{session_id}_{product_id}"
        item["quantity"] = 1
        item["price"]["id"] = PRICES[product_id]
        item["price"]["product"] = product_id
        items.append(item)
    page["data"] = items


def payment_session(
    session_id: str,
    customer_id: str,
    *,
    user_id: str | None = None,
    payment_intent: str | None = None,
    payment_status: str = "paid",
    status: str = "complete",
    line_items: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A Checkout Session in payment mode, as its events carry it (no line items)."""
    snapshot: dict[str, Any] = {
        "id": session_id,
        "object": "checkout.session",
        "mode": "payment",
        "status": status,
        "payment_status": payment_status,
        "customer": customer_id,
        "client_reference_id": user_id,
        "metadata": {"user_id": user_id} if user_id else {},
        "payment_intent": payment_intent,
        "subscription": None,
    }
    if line_items is not None:
        snapshot["line_items"] = {"object": "list", "data": line_items, "has_more": False}
    return snapshot


def line_item(product_id: str) -> dict[str, Any]:
    return {
        "id": fresh("li"),
        "object": "item",
        "quantity": 1,
        "price": {"id": PRICES[product_id], "object": "price", "product": product_id},
    }


def charge(
    charge_id: str, customer_id: str, payment_intent: str, *, amount: int = 1500, refunded: int = 0
) -> dict[str, Any]:
    return {
        "id": charge_id,
        "object": "charge",
        "customer": customer_id,
        "payment_intent": payment_intent,
        "amount": amount,
        "amount_refunded": refunded,
        "refunded": refunded == amount,
    }


def entitlement_summary(
    customer_id: str, lookup_keys: Iterable[str], *, has_more: bool = False
) -> dict[str, Any]:
    return {
        "object": "entitlements.active_entitlement_summary",
        "customer": customer_id,
        "livemode": False,
        "entitlements": {
            "object": "list",
            "data": [
                {
                    "id": fresh("ent"),
                    "object": "entitlements.active_entitlement",
                    "feature": f"feat_{key}",
                    "livemode": False,
                    "lookup_key": key,
                }
                for key in lookup_keys
            ],
            "has_more": has_more,
            "url": "/v1/entitlements/active_entitlements",
        },
    }


def event(event_type: str, snapshot: dict[str, Any], *, created: int = s.BASE_TIME) -> Any:
    return s.event(event_type, snapshot, created=created)
