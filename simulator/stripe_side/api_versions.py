"""Event objects in the API version of the endpoint they are sent to.

objects.py renders every object in the newest shape the simulator knows, the SDK's version.
Stripe renders each event for the endpoint's own version when it creates the event; for an
older version the simulator undoes, newest first, the shape changes it knows, the way Stripe's
version changes are layered. Versions compare by their date; the release name after it adds no
order.
"""

from __future__ import annotations

import copy
import re
from typing import Any

StripeObject = dict[str, Any]

# Subscriptions carry a `billing_mode` object from this version on.
BILLING_MODE_OBJECT = "2025-06-30.basil"
# Item periods, `parent` on invoicing objects, `pricing` on their lines, invoice payments.
BASIL = "2025-03-31.basil"
# Checkout's UI modes were renamed in this version; older versions name them as before.
UI_MODES_RENAMED = "2026-03-25.dahlia"
UI_MODES_BEFORE = {"hosted_page": "hosted", "embedded_page": "embedded"}


# A date and a release name, as Stripe writes them (`2025-03-31.basil`).
VERSION_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}\.[a-z]+")


def well_formed(version: str) -> bool:
    return VERSION_FORMAT.fullmatch(version) is not None


def older_than(version: str, change: str) -> bool:
    return version[:10] < change[:10]


def render_in(
    version: str, data_object: StripeObject, previous: StripeObject | None
) -> tuple[StripeObject, StripeObject | None]:
    """`data_object` and its `previous_attributes` as an endpoint on `version` receives them."""
    # BEHAVIOUR: webhook.api-version
    kind = data_object.get("object")
    if kind == "checkout.session" and older_than(version, UI_MODES_RENAMED):
        return _checkout_session_before_dahlia(data_object), previous
    if not older_than(version, BILLING_MODE_OBJECT) or kind not in _BEFORE_BASIL:
        return data_object, previous
    rendered, earlier = copy.deepcopy(data_object), copy.deepcopy(previous)
    if kind == "subscription":
        rendered.pop("billing_mode", None)
    if older_than(version, BASIL):
        rendered, earlier = _BEFORE_BASIL[kind](rendered, earlier)
    return rendered, earlier


def _checkout_session_before_dahlia(session: StripeObject) -> StripeObject:
    """The UI modes by their old names."""
    # BEHAVIOUR: local.embedded-session (the names before 2026-03-25)
    mode = session.get("ui_mode")
    return {**session, "ui_mode": UI_MODES_BEFORE.get(mode, mode)} if mode else session


def _subscription(
    subscription: StripeObject, previous: StripeObject | None
) -> tuple[StripeObject, StripeObject | None]:
    """Periods lived on the subscription, not on its items."""
    periods = ("current_period_start", "current_period_end")
    items = subscription["items"]["data"]
    for key in periods:
        subscription[key] = items[0][key] if items else None
    for item in items:
        for key in periods:
            item.pop(key, None)
    if previous is not None and previous.get("items", {}).get("data"):
        earlier_items = previous["items"]["data"]
        for key in periods:
            if key in earlier_items[0]:
                previous[key] = earlier_items[0].pop(key)
        if not any(earlier_items):
            del previous["items"]
    return subscription, previous


def _invoice(
    invoice: StripeObject, previous: StripeObject | None
) -> tuple[StripeObject, StripeObject | None]:
    """The subscription was a top-level field, and payment fields lived on the invoice."""
    details = (invoice.pop("parent", None) or {}).get("subscription_details")
    invoice["subscription"] = details["subscription"] if details else None
    invoice["subscription_details"] = {"metadata": details["metadata"]} if details else None
    invoice["quote"] = None
    invoice["paid"] = invoice.get("status") == "paid"
    payments = (invoice.pop("payments", None) or {}).get("data") or []
    intents = [row["payment"].get("payment_intent") for row in payments if row.get("payment")]
    invoice["payment_intent"] = intents[-1] if intents else None
    invoice["charge"] = None
    invoice["lines"]["data"] = [_line(line) for line in invoice["lines"]["data"]]
    return invoice, previous


def _line(line: StripeObject) -> StripeObject:
    parent = line.pop("parent", None) or {}
    details = parent.get("invoice_item_details") or parent.get("subscription_item_details") or {}
    line["type"] = "invoiceitem" if details.get("invoice_item") else "subscription"
    for key in ("subscription", "subscription_item", "invoice_item", "proration_details"):
        line[key] = details.get(key)
    line["proration"] = bool(details.get("proration"))
    line["price"] = _price(line.pop("pricing", None))
    return line


def _invoice_item(
    item: StripeObject, previous: StripeObject | None
) -> tuple[StripeObject, StripeObject | None]:
    details = (item.pop("parent", None) or {}).get("subscription_details") or {}
    item["subscription"] = details.get("subscription")
    item["subscription_item"] = details.get("subscription_item")
    item["price"] = _price(item.pop("pricing", None))
    return item, previous


def _price(pricing: StripeObject | None) -> StripeObject | None:
    """The price a line named before `pricing` existed (the fields `pricing` still holds)."""
    if not pricing or not pricing.get("price_details"):
        return None
    decimal = pricing.get("unit_amount_decimal")
    return {
        "id": pricing["price_details"]["price"],
        "object": "price",
        "product": pricing["price_details"]["product"],
        "unit_amount": int(decimal) if decimal is not None else None,
        "unit_amount_decimal": decimal,
    }


_BEFORE_BASIL = {"subscription": _subscription, "invoice": _invoice, "invoiceitem": _invoice_item}
