"""The API calls the local account answers from its own state.

These are the calls the service makes (and the reads a webhook re-fetch or `billing-portal sync`
makes): customers, Checkout Sessions and their line items, portal sessions and configurations,
subscriptions, invoices, cards, payment intents, charges, active entitlements, products with
their features, and prices. Each runs only after
stripe-mock accepted the request (see api.py); a handler returning None leaves the answer to
stripe-mock.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import get_args

from simulator.local_stripe.calls import ApiCall, ApiRefusal, Handled, missing
from simulator.local_stripe.checkout_params import checkout_redirects
from simulator.local_stripe.errors import ActionRefused
from simulator.local_stripe.render import page_of, product_feature
from simulator.stripe_side.objects import StripeObject
from simulator.stripe_side.settings import MissingPaymentMethod

Handler = Callable[[ApiCall], Handled | None]

MISSING_PAYMENT_METHOD = "subscription_data[trial_settings][end_behavior][missing_payment_method]"
MISSING_PAYMENT_METHODS: tuple[MissingPaymentMethod, ...] = get_args(MissingPaymentMethod)
# What `status` means when a subscription list leaves it out: all but the canceled ones.
NOT_CANCELED = frozenset({"active", "past_due", "unpaid", "trialing", "incomplete", "paused"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _endpoint(method: str, path: str, handler: Handler) -> Endpoint:
    # An id is any path segment but `search` (the search endpoints are not modelled).
    pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>(?!search$)[^/]+)", path)
    return Endpoint(method, re.compile(f"{pattern}$"), handler)


def _answer(call: ApiCall, rendered: StripeObject | None, noun: str) -> Handled:
    if rendered is None:
        raise missing(noun, call.ids["id"])
    return Handled(call.render.expand(rendered, call.expand))


def _page(call: ApiCall, data: list[StripeObject], url: str) -> Handled:
    return Handled(call.render.expand(page_of(data, call.params, url), call.expand))


# -- customers ------------------------------------------------------------------------------


def create_customer(call: ApiCall) -> Handled:
    owner = call.local.create_customer(
        email=call.params.get("email"), user_id=call.params.get("metadata[user_id]")
    )

    async def announce() -> None:
        # BEHAVIOUR: customer.created (sent after the API answered)
        await call.local.deliver(owner.id)

    return Handled(
        call.render.expand(_found(call.render.customer(owner.id)), call.expand), announce
    )


def retrieve_customer(call: ApiCall) -> Handled:
    return _answer(call, call.render.customer(call.ids["id"]), "customer")


def list_customers(call: ApiCall) -> Handled:
    email = call.params.get("email")
    rendered = [
        _found(call.render.customer(owner.id))
        for owner in reversed(call.local.customers())
        if email is None or owner.email == email
    ]
    return _page(call, rendered, "/v1/customers")


def list_customer_payment_methods(call: ApiCall) -> Handled:
    customer_id = call.ids["id"]
    owner = call.local.customer(customer_id)
    if owner is None:
        raise missing("customer", customer_id)
    kind = call.params.get("type")
    attached = [
        _found(call.render.payment_method(method.id))
        for method in reversed(owner.payment_methods.values())
        if method.customer_id == customer_id and kind in (None, "card")
    ]
    return _page(call, attached, f"/v1/customers/{customer_id}/payment_methods")


def retrieve_payment_method(call: ApiCall) -> Handled:
    return _answer(call, call.render.payment_method(call.ids["id"]), "PaymentMethod")


def retrieve_payment_intent(call: ApiCall) -> Handled:
    return _answer(call, call.render.payment_intent(call.ids["id"]), "payment_intent")


# -- Checkout -------------------------------------------------------------------------------


def create_checkout_session(call: ApiCall) -> Handled | None:
    params = call.params
    customer_id = params.get("customer")
    price_id = params.get("line_items[0][price]")
    if customer_id is None or price_id is None or "line_items[1][price]" in params:
        # Sessions without a customer, or of several (or inline) line items: not modelled.
        return None
    local = call.local
    if local.customer(customer_id) is None:
        raise missing("customer", customer_id, param="customer")
    price = local.price(price_id)
    if price is None:
        raise missing("price", price_id, param="line_items[0][price]")
    mode = params.get("mode")
    if mode == "subscription" and not price.recurring:
        raise ApiRefusal(
            "You must provide at least one recurring price in `subscription` mode when using "
            "prices.",
            param="line_items",
        )
    if mode == "payment" and price.recurring:
        raise ApiRefusal(
            "You specified `payment` mode but passed a recurring price. Either switch to "
            "`subscription` mode or use only one-time prices.",
            param="line_items[0][price]",
        )
    behaviour = params.get(MISSING_PAYMENT_METHOD, "create_invoice")
    redirects = checkout_redirects(params)
    if behaviour not in MISSING_PAYMENT_METHODS or redirects is None:
        return None
    session = local.create_checkout_session(
        customer_id=customer_id,
        price=price,
        quantity=call.number("line_items[0][quantity]") or 1,
        success_url=redirects.success_url,
        cancel_url=redirects.cancel_url,
        ui_mode=redirects.ui_mode,
        return_url=redirects.return_url,
        redirect_on_completion=redirects.redirect_on_completion,
        trial_days=call.number("subscription_data[trial_period_days]"),
        allow_promotion_codes=bool(call.flag("allow_promotion_codes")),
        payment_method_collection=params.get("payment_method_collection", "always"),
        missing_payment_method=behaviour,
        client_reference_id=params.get("client_reference_id"),
        metadata=_metadata(params),
    )
    return _checkout_answer(call, session.id)


def retrieve_checkout_session(call: ApiCall) -> Handled:
    return _checkout_answer(call, call.ids["id"])


def _checkout_answer(call: ApiCall, session_id: str) -> Handled:
    session = call.local.checkout_session(session_id)
    if session is None:
        raise missing("checkout.session", session_id)
    rendered = call.render.checkout_session_of(session)
    if any(path.split(".")[0] == "line_items" for path in call.expand):
        rendered["line_items"] = call.render.line_items(session)
    return Handled(call.render.expand(rendered, call.expand))


def list_checkout_sessions(call: ApiCall) -> Handled:
    filters = {
        key: call.params.get(key)
        for key in ("customer", "subscription", "payment_intent", "status")
    }
    rendered = [
        call.render.checkout_session_of(session)
        for session in reversed(call.local.checkout_sessions())
    ]
    kept = [
        item
        for item in rendered
        if all(wanted is None or item.get(key) == wanted for key, wanted in filters.items())
    ]
    return _page(call, kept, "/v1/checkout/sessions")


def list_checkout_line_items(call: ApiCall) -> Handled:
    session = call.local.checkout_session(call.ids["id"])
    if session is None:
        raise missing("checkout.session", call.ids["id"])
    return Handled(call.render.expand(call.render.line_items(session), call.expand))


def expire_checkout_session(call: ApiCall) -> Handled:
    session = call.local.checkout_session(call.ids["id"])
    if session is None:
        raise missing("checkout.session", call.ids["id"])
    if session.status != "open":
        raise ApiRefusal(
            f'Only Checkout Sessions with a status in ["open"] can be expired. This Checkout '
            f'Session has a status of "{session.status}".',
        )
    # The expiry itself (and its event) is the page's walk-away, done under the account's
    # lock once this answer is out; the answer already shows the session expired.
    session_id = session.id

    async def expire() -> None:
        with contextlib.suppress(ActionRefused):  # completed or expired in the meantime
            await call.local.abandon_checkout(session_id)

    rendered = call.render.checkout_session_of(session)
    return Handled(
        call.render.expand({**rendered, "status": "expired", "url": None}, call.expand), expire
    )


# -- the Customer Portal --------------------------------------------------------------------


def create_portal_session(call: ApiCall) -> Handled:
    params = call.params
    local = call.local
    customer_id = params.get("customer", "")
    if local.customer(customer_id) is None:
        raise missing("customer", customer_id, param="customer")
    configuration_id = params.get("configuration")
    if configuration_id is not None and local.configurations.get(configuration_id) is None:
        raise missing("configuration", configuration_id, param="configuration")
    flow = params.get("flow_data[type]")
    session = local.create_portal_session(
        customer_id=customer_id,
        return_url=params.get("return_url", ""),
        configuration_id=configuration_id,
        flow=flow,
        flow_subscription_id=params.get(f"flow_data[{flow}][subscription]"),
        after_completion_url=params.get("flow_data[after_completion][redirect][return_url]"),
    )
    return Handled(call.render.expand(call.render.portal_session_of(session), call.expand))


def create_configuration(call: ApiCall) -> Handled:
    record = call.local.save_configuration(None, call.params)
    return _answer_configuration(call, record.id)


def update_configuration(call: ApiCall) -> Handled:
    configuration_id = call.ids["id"]
    if call.local.configurations.get(configuration_id) is None:
        raise missing("configuration", configuration_id)
    call.local.save_configuration(configuration_id, call.params)
    return _answer_configuration(call, configuration_id)


def retrieve_configuration(call: ApiCall) -> Handled:
    return _answer(call, call.render.configuration(call.ids["id"]), "configuration")


def list_configurations(call: ApiCall) -> Handled:
    is_default = call.flag("is_default")
    rendered = [
        _found(call.render.configuration(record.id))
        for record in reversed(call.local.configurations.all())
        if is_default is None or record.is_default == is_default
    ]
    return _page(call, rendered, "/v1/billing_portal/configurations")


def _answer_configuration(call: ApiCall, configuration_id: str) -> Handled:
    return Handled(
        call.render.expand(_found(call.render.configuration(configuration_id)), call.expand)
    )


# -- billing --------------------------------------------------------------------------------


def retrieve_subscription(call: ApiCall) -> Handled:
    return _answer(call, call.render.subscription(call.ids["id"]), "subscription")


def list_subscriptions(call: ApiCall) -> Handled:
    params = call.params
    status = params.get("status")
    customer, price = params.get("customer"), params.get("price")
    rendered = [
        _found(call.render.subscription(subscription.id))
        for subscription, owner in sorted(
            call.local.subscriptions(), key=lambda pair: pair[0].created, reverse=True
        )
        if customer in (None, owner.id)
        and price in (None, subscription.price.price_id)
        and (
            status == "all"
            or (status is None and subscription.status in NOT_CANCELED)
            or subscription.status == status
        )
    ]
    return _page(call, rendered, "/v1/subscriptions")


def retrieve_invoice(call: ApiCall) -> Handled:
    return _answer(call, call.render.invoice(call.ids["id"]), "invoice")


def list_invoices(call: ApiCall) -> Handled:
    params = call.params
    customer, subscription = params.get("customer"), params.get("subscription")
    status = params.get("status")
    invoices = sorted(
        (
            (invoice, owner)
            for owner in call.local.customers()
            for invoice in owner.invoices
            if customer in (None, owner.id)
            and subscription in (None, invoice.subscription_id)
            and status in (None, invoice.status)
        ),
        key=lambda pair: pair[0].created,
        reverse=True,
    )
    rendered = [_found(call.render.invoice(invoice.id)) for invoice, _ in invoices]
    return _page(call, rendered, "/v1/invoices")


def retrieve_charge(call: ApiCall) -> Handled:
    return _answer(call, call.render.charge(call.ids["id"]), "charge")


def list_charges(call: ApiCall) -> Handled:
    customer = call.params.get("customer")
    charges = sorted(
        (
            (payment, owner)
            for owner in call.local.customers()
            for payment in owner.payments
            if payment.charged and customer in (None, owner.id)
        ),
        key=lambda pair: pair[0].created,
        reverse=True,
    )
    rendered = [call.render.charge_of(payment, owner) for payment, owner in charges]
    return _page(call, rendered, "/v1/charges")


def list_active_entitlements(call: ApiCall) -> Handled:
    customer_id = call.params.get("customer", "")
    owner = call.local.customer(customer_id)
    if owner is None:
        raise missing("customer", customer_id, param="customer")
    entitlements = call.render.active_entitlements(owner)
    return _page(call, entitlements, "/v1/entitlements/active_entitlements")


# -- the catalog ----------------------------------------------------------------------------


def list_product_features(call: ApiCall) -> Handled:
    product_id = call.ids["id"]
    entry = next((e for e in call.local.prices() if e.product_id == product_id), None)
    if entry is None:
        raise missing("product", product_id)
    features = [product_feature(entry, feature) for feature in entry.features]
    return _page(call, features, f"/v1/products/{product_id}/features")


def retrieve_product(call: ApiCall) -> Handled:
    return _answer(call, call.render.product(call.ids["id"]), "product")


def list_products(call: ApiCall) -> Handled:
    active = call.flag("active")
    ids = {value for key, value in call.params.items() if key.startswith("ids[")}
    seen: dict[str, StripeObject] = {}
    for entry in reversed(call.local.prices()):
        if entry.product_id not in seen:
            seen[entry.product_id] = call.render.product_of(entry)
    rendered = [
        product
        for product in seen.values()
        if active in (None, True) and (not ids or product["id"] in ids)
    ]
    return _page(call, rendered, "/v1/products")


def retrieve_price(call: ApiCall) -> Handled:
    return _answer(call, call.render.price(call.ids["id"]), "price")


def list_prices(call: ApiCall) -> Handled:
    params = call.params
    active, product, kind = call.flag("active"), params.get("product"), params.get("type")
    rendered = [
        call.render.price_of(entry)
        for entry in reversed(call.local.prices())
        if active in (None, True)
        and product in (None, entry.product_id)
        and kind in (None, "recurring" if entry.recurring else "one_time")
    ]
    return _page(call, rendered, "/v1/prices")


def _found(rendered: StripeObject | None) -> StripeObject:
    assert rendered is not None, "rendering an object the account holds"
    return rendered


def _metadata(params: dict[str, str]) -> dict[str, str]:
    return {
        key.removeprefix("metadata[").removesuffix("]"): value
        for key, value in params.items()
        if key.startswith("metadata[")
    }


ENDPOINTS = (
    _endpoint("POST", "/v1/customers", create_customer),
    _endpoint("GET", "/v1/customers", list_customers),
    _endpoint("GET", "/v1/customers/{id}", retrieve_customer),
    _endpoint("GET", "/v1/customers/{id}/payment_methods", list_customer_payment_methods),
    _endpoint("GET", "/v1/payment_methods/{id}", retrieve_payment_method),
    _endpoint("GET", "/v1/payment_intents/{id}", retrieve_payment_intent),
    _endpoint("POST", "/v1/checkout/sessions", create_checkout_session),
    _endpoint("GET", "/v1/checkout/sessions", list_checkout_sessions),
    _endpoint("GET", "/v1/checkout/sessions/{id}", retrieve_checkout_session),
    _endpoint("GET", "/v1/checkout/sessions/{id}/line_items", list_checkout_line_items),
    _endpoint("POST", "/v1/checkout/sessions/{id}/expire", expire_checkout_session),
    _endpoint("POST", "/v1/billing_portal/sessions", create_portal_session),
    _endpoint("POST", "/v1/billing_portal/configurations", create_configuration),
    _endpoint("GET", "/v1/billing_portal/configurations", list_configurations),
    _endpoint("GET", "/v1/billing_portal/configurations/{id}", retrieve_configuration),
    _endpoint("POST", "/v1/billing_portal/configurations/{id}", update_configuration),
    _endpoint("GET", "/v1/subscriptions", list_subscriptions),
    _endpoint("GET", "/v1/subscriptions/{id}", retrieve_subscription),
    _endpoint("GET", "/v1/invoices", list_invoices),
    _endpoint("GET", "/v1/invoices/{id}", retrieve_invoice),
    _endpoint("GET", "/v1/charges", list_charges),
    _endpoint("GET", "/v1/charges/{id}", retrieve_charge),
    _endpoint("GET", "/v1/entitlements/active_entitlements", list_active_entitlements),
    _endpoint("GET", "/v1/products", list_products),
    _endpoint("GET", "/v1/products/{id}/features", list_product_features),
    _endpoint("GET", "/v1/products/{id}", retrieve_product),
    _endpoint("GET", "/v1/prices", list_prices),
    _endpoint("GET", "/v1/prices/{id}", retrieve_price),
)


def endpoint_for(method: str, path: str) -> tuple[Handler, dict[str, str]] | None:
    """The handler of a modelled call, with the ids its path names."""
    for endpoint in ENDPOINTS:
        if endpoint.method == method and (matched := endpoint.pattern.match(path)):
            return endpoint.handler, matched.groupdict()
    return None
