"""The local account's objects as the API answers with them: in the caller's API version,
expanded where the caller asked (`expand[]`), paged as Stripe pages lists.

Customers, subscriptions, invoices, cards, payments, products, prices and Checkout Sessions are
the Stripe side's own renderings (objects.py), the same the webhooks carry (a Checkout Session
with what only the API shows added here); portal sessions and portal configurations, which no
event of the journeys carries, are rendered here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from simulator.local_stripe.configurations import ConfigurationRecord
from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.sessions import CheckoutSession, PortalSession
from simulator.naming import mint_id
from simulator.stripe_side import objects
from simulator.stripe_side.api_versions import render_in
from simulator.stripe_side.catalog import CatalogPrice, Feature
from simulator.stripe_side.entitlements import entitled_features
from simulator.stripe_side.expansion import expand_ids
from simulator.stripe_side.objects import StripeObject
from simulator.stripe_side.portal_configurations import PortalConfiguration
from simulator.stripe_side.state import CustomerState, PaymentState

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100
_PRODUCTS = re.compile(
    r"features\[subscription_update\]\[products\]\[(\d+)\]\[(product|prices)\](?:\[\d+\])?$"
)


class Renderer:
    """Renders for one request: in its API `version`, with URLs on its `base_url`."""

    def __init__(self, local: LocalStripe, version: str, base_url: str) -> None:
        self.local = local
        self.version = version
        self.base_url = base_url.rstrip("/")

    def shape(self, rendered: StripeObject) -> StripeObject:
        """An object of the newest shape, in this request's API version."""
        return render_in(self.version, rendered, None)[0]

    # -- one object by id (retrieve, expand) --------------------------------------------------

    def find(self, object_id: str) -> StripeObject | None:
        """The object with this id, rendered; None when the account has none."""
        for prefix, finder in self._finders().items():
            if object_id.startswith(prefix):
                return finder(object_id)
        return None

    def _finders(self) -> dict[str, Callable[[str], StripeObject | None]]:
        return {
            "cus_": self.customer,
            "ch_": self.charge,
            "sub_": self.subscription,
            "in_": self.invoice,
            "pm_": self.payment_method,
            "pi_": self.payment_intent,
            "price_": self.price,
            "prod_": self.product,
            "cs_": self.checkout_session,
            "bps_": self.portal_session,
            "bpc_": self.configuration,
        }

    def customer(self, customer_id: str) -> StripeObject | None:
        graph = self.local.customer(customer_id)
        return self.shape(objects.customer(graph)) if graph is not None else None

    def subscription(self, subscription_id: str) -> StripeObject | None:
        for subscription, owner in self.local.subscriptions():
            if subscription.id == subscription_id:
                return self.shape(objects.subscription(subscription, owner))
        return None

    def invoice(self, invoice_id: str) -> StripeObject | None:
        for owner in self.local.customers():
            for invoice in owner.invoices:
                if invoice.id == invoice_id:
                    return self.shape(objects.invoice(invoice, owner))
        return None

    def payment_method(self, method_id: str) -> StripeObject | None:
        for owner in self.local.customers():
            method = owner.payment_methods.get(method_id)
            if method is not None:
                return self.shape(objects.payment_method(method))
        return None

    def payment_intent(self, intent_id: str) -> StripeObject | None:
        for owner in self.local.customers():
            for payment in owner.payments:
                if payment.intent_id == intent_id:
                    return self.shape(objects.payment_intent(payment, owner))
        return None

    def price(self, price_id: str) -> StripeObject | None:
        entry = self.local.price(price_id)
        return self.price_of(entry) if entry is not None else None

    def price_of(self, entry: CatalogPrice) -> StripeObject:
        return self.shape(objects.price(entry, self.local.catalog_created))

    def product(self, product_id: str) -> StripeObject | None:
        entry = next((e for e in self.local.prices() if e.product_id == product_id), None)
        return self.product_of(entry) if entry is not None else None

    def product_of(self, entry: CatalogPrice) -> StripeObject:
        return self.shape(objects.product(entry, self.local.catalog_created))

    def charge(self, charge_id: str) -> StripeObject | None:
        for owner in self.local.customers():
            for payment in owner.payments:
                if payment.charged and payment.charge_id == charge_id:
                    return self.charge_of(payment, owner)
        return None

    def charge_of(self, payment: PaymentState, owner: CustomerState) -> StripeObject:
        return self.shape(objects.charge(payment, owner.payment_methods[payment.method_id], owner))

    def active_entitlements(self, owner: CustomerState) -> list[StripeObject]:
        """What the customer's subscription entitles them to now, one entitlement per feature."""
        summary = objects.entitlement_summary(owner, entitled_features(owner))
        entitlements: list[StripeObject] = summary["entitlements"]["data"]
        return entitlements

    def checkout_session(self, session_id: str) -> StripeObject | None:
        session = self.local.checkout_session(session_id)
        return self.checkout_session_of(session) if session is not None else None

    def checkout_session_of(self, session: CheckoutSession) -> StripeObject:
        """The session as the API shows it: the event's rendering, and what only the API
        shows (its page's URL while it is open, how it collects payment), in the request's
        API version."""
        graph = self.local.customer(session.customer_id)
        assert graph is not None
        rendered = objects.checkout_session(
            session_id=session.id,
            owner=graph,
            entry=session.price,
            quantity=session.quantity,
            created=session.created,
            status=session.status,
            ui=session.ui,
            subscription_id=session.subscription_id,
            payment_intent_id=session.payment_intent_id,
            invoice_id=session.invoice_id,
        )
        complete = session.status == "complete"
        hosted_page_open = not session.embedded and session.status == "open"
        return self.shape(
            {
                **rendered,
                "allow_promotion_codes": session.allow_promotion_codes,
                "amount_total": session.amount_total,
                "client_reference_id": session.client_reference_id,
                "customer_details": {"email": graph.email or None} if complete else None,
                "expires_at": session.expires_at,
                "metadata": dict(session.metadata or {}),
                "payment_method_collection": session.payment_method_collection,
                "payment_method_types": ["card"],
                "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
                # BEHAVIOUR: local.hosted-urls (present while the session is open; an embedded
                # session has no page of its own)
                "url": f"{self.base_url}/checkout/{session.id}" if hosted_page_open else None,
            }
        )

    def line_items(self, session: CheckoutSession) -> StripeObject:
        """A Checkout Session's line items: its one price and quantity."""
        item = objects.checkout_line_item(session.id, session.price, session.quantity)
        item["price"] = self.price_of(session.price)
        return listed([item], f"/v1/checkout/sessions/{session.id}/line_items", has_more=False)

    def portal_session(self, session_id: str) -> StripeObject | None:
        session = self.local.portal_session(session_id)
        return self.portal_session_of(session) if session is not None else None

    def portal_session_of(self, session: PortalSession) -> StripeObject:
        return {
            "id": session.id,
            "object": "billing_portal.session",
            "configuration": session.configuration_id,
            "created": session.created,
            "customer": session.customer_id,
            "flow": _flow(session),
            "livemode": False,
            "locale": None,
            "on_behalf_of": None,
            "return_url": session.return_url,
            # BEHAVIOUR: local.hosted-urls
            "url": f"{self.base_url}/portal/{session.id}",
        }

    def configuration(self, configuration_id: str) -> StripeObject | None:
        record = self.local.configurations.get(configuration_id)
        if record is None:
            return None
        offered = self.local.side.portal_configurations.configuration(record.id)
        return configuration_object(record, offered)

    # -- lists and expansion -----------------------------------------------------------------

    def expand(self, rendered: StripeObject, paths: Iterable[str]) -> StripeObject:
        """Replace the ids the `paths` name (`subscription`, `data.product`, ...) by their
        objects, level after level; an id the account does not hold stays an id."""
        return expand_ids(rendered, paths, self.find)


def product_feature(entry: CatalogPrice, feature: Feature) -> StripeObject:
    """A feature attached to a product, as the product's feature list shows it."""
    return {
        "id": mint_id("prodft", entry.product_id, feature.id),
        "object": "product_feature",
        "entitlement_feature": {
            "id": feature.id,
            "object": "entitlements.feature",
            "active": True,
            "livemode": False,
            "lookup_key": feature.lookup_key,
            "metadata": {},
            "name": feature.name,
        },
        "livemode": False,
    }


def configuration_object(record: ConfigurationRecord, offered: PortalConfiguration) -> StripeObject:
    params = record.params
    customer_updates = [
        value
        for key, value in params.items()
        if key.startswith("features[customer_update][allowed_updates]")
    ]
    return {
        "id": record.id,
        "object": "billing_portal.configuration",
        "active": True,
        "application": None,
        "business_profile": {
            "headline": offered.headline,
            "privacy_policy_url": None,
            "terms_of_service_url": None,
        },
        "created": record.created,
        "default_return_url": params.get("default_return_url") or None,
        "features": {
            "customer_update": {
                "allowed_updates": customer_updates,
                "enabled": params.get("features[customer_update][enabled]") == "true",
            },
            "invoice_history": {"enabled": offered.invoice_history_enabled},
            "payment_method_update": {"enabled": offered.payment_method_update_enabled},
            "subscription_cancel": {
                "cancellation_reason": {"enabled": False, "options": []},
                "enabled": offered.cancel_enabled,
                "mode": offered.cancellation_mode,
                "proration_behavior": "none",
            },
            "subscription_update": {
                "default_allowed_updates": sorted(offered.allowed_updates),
                "enabled": offered.update_enabled,
                "products": _switchable_products(params),
                "proration_behavior": offered.proration_behavior,
                "schedule_at_period_end": {"conditions": []},
            },
        },
        "is_default": record.is_default,
        "livemode": False,
        "login_page": {"enabled": False, "url": None},
        "metadata": {},
        "name": None,
        "updated": record.updated,
    }


def listed(data: Sequence[StripeObject], url: str, *, has_more: bool) -> StripeObject:
    return {"object": "list", "data": list(data), "has_more": has_more, "url": url}


def page_of(data: Sequence[StripeObject], params: Mapping[str, str], url: str) -> StripeObject:
    """One page of `data` (newest first), as `limit` and `starting_after` / `ending_before`
    choose it."""
    limit = min(max(int(params.get("limit") or DEFAULT_PAGE_SIZE), 1), MAX_PAGE_SIZE)
    ids = [item["id"] for item in data]
    after, before = params.get("starting_after"), params.get("ending_before")
    if after in ids:
        start = ids.index(after) + 1
        return listed(data[start : start + limit], url, has_more=start + limit < len(data))
    if before in ids:
        end = ids.index(before)
        start = max(0, end - limit)
        return listed(data[start:end], url, has_more=start > 0)
    return listed(data[:limit], url, has_more=limit < len(data))


def _flow(session: PortalSession) -> StripeObject | None:
    if session.flow is None:
        return None
    redirect = session.after_completion_url
    subscription = session.flow_subscription_id
    return {
        "type": session.flow,
        "after_completion": {
            "type": "redirect" if redirect else "portal_homepage",
            "hosted_confirmation": None,
            "redirect": {"return_url": redirect} if redirect else None,
        },
        "subscription_cancel": (
            {"retention": None, "subscription": subscription}
            if session.flow == "subscription_cancel"
            else None
        ),
        "subscription_update": (
            {"subscription": subscription} if session.flow == "subscription_update" else None
        ),
        "subscription_update_confirm": None,
    }


def _switchable_products(params: Mapping[str, str]) -> list[StripeObject]:
    """`subscription_update.products` as the configuration was saved: each product with its
    prices, in the order given."""
    products: dict[int, StripeObject] = {}
    for key, value in params.items():
        matched = _PRODUCTS.match(key)
        if matched is None:
            continue
        entry = products.setdefault(int(matched[1]), {"prices": [], "product": None})
        if matched[2] == "product":
            entry["product"] = value
        else:
            entry["prices"].append(value)
    return [products[index] for index in sorted(products)]
