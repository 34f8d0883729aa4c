"""The state each workload needs, put in place the way a real client would: over HTTP only
(GraphQL mutations, signed webhooks) plus reads of stripe-mock for realistic object shapes.
"""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass
from typing import Any

import httpx

from simulator.bench.drivers import signed_event
from simulator.bench.errors import BenchFailed
from simulator.toolkit.graphql import GraphQLClient, ServiceRefused, ServiceUnreachable

RETURN_URL = "http://127.0.0.1/account"
PLANS_QUERY = "query Plans { plans { priceId productId interval } }"
CHECKOUT_MUTATION = (
    "mutation Checkout($input: CheckoutInput!) { createCheckoutSession(input: $input) { id url } }"
)
CUSTOMER_QUERY = "query CustomerId { viewer { customerId } }"
SUBSCRIPTIONS_PER_USER = 3


class SeedFailed(BenchFailed):
    """The service refused to set up the bench's state (usually: a feature is not there yet)."""


@dataclass(frozen=True, slots=True)
class Customer:
    token: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class Catalog:
    price_id: str
    product_id: str


async def graphql_data(
    http: httpx.AsyncClient,
    operation: str,
    document: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    try:
        data: dict[str, Any] = await GraphQLClient(http, token=token).data(
            operation, document, variables
        )
    except (ServiceRefused, ServiceUnreachable) as error:
        raise SeedFailed(str(error)) from None
    return data


async def recurring_plan(http: httpx.AsyncClient) -> Catalog:
    plans = (await graphql_data(http, "Plans", PLANS_QUERY))["plans"]
    for plan in plans:
        if plan.get("interval"):
            return Catalog(price_id=plan["priceId"], product_id=plan["productId"])
    raise SeedFailed(f"no recurring plan among {plans}")


def checkout_input(catalog: Catalog) -> dict[str, Any]:
    return {
        "priceId": catalog.price_id,
        "successUrl": f"{RETURN_URL}?checkout=done",
        "cancelUrl": f"{RETURN_URL}?checkout=cancelled",
    }


async def customers(http: httpx.AsyncClient, catalog: Catalog, tokens: list[str]) -> list[Customer]:
    """Give each user a Stripe customer the way the app does: their first checkout."""

    async def one(token: str) -> Customer:
        checkout = {"input": checkout_input(catalog)}
        await graphql_data(http, "Checkout", CHECKOUT_MUTATION, checkout, token)
        viewer = (await graphql_data(http, "CustomerId", CUSTOMER_QUERY, token=token))["viewer"]
        if not viewer["customerId"]:
            raise SeedFailed("a checkout left the viewer without a customer id")
        return Customer(token=token, customer_id=viewer["customerId"])

    return list(await asyncio.gather(*(one(token) for token in tokens)))


async def subscription_template(stripe_mock_url: str, api_key: str) -> dict[str, Any]:
    """A complete subscription object as the pinned stripe-mock shapes it."""
    async with httpx.AsyncClient(base_url=stripe_mock_url, auth=(api_key, "")) as http:
        response = await http.get("/v1/subscriptions/sub_bench")
        response.raise_for_status()
        template: dict[str, Any] = response.json()
    return template


def subscription_object(
    template: dict[str, Any], subscription_id: str, customer_id: str, catalog: Catalog
) -> dict[str, Any]:
    now = int(time.time())
    subscription = copy.deepcopy(template)
    subscription.update(
        id=subscription_id,
        customer=customer_id,
        status="active",
        cancel_at_period_end=False,
        cancel_at=None,
        canceled_at=None,
        created=now,
        start_date=now,
    )
    item = subscription["items"]["data"][0]
    item.update(subscription=subscription_id, quantity=1, current_period_end=now + 30 * 86400)
    item["price"].update(id=catalog.price_id, product=catalog.product_id)
    subscription["items"]["data"] = [item]
    return subscription


async def subscriptions(
    http: httpx.AsyncClient,
    secret: str,
    template: dict[str, Any],
    catalog: Catalog,
    owners: list[Customer],
) -> list[dict[str, Any]]:
    """`SUBSCRIPTIONS_PER_USER` subscriptions per owner, mirrored through signed webhooks."""
    created = [
        subscription_object(template, f"sub_bench_{index}_{slot}", owner.customer_id, catalog)
        for index, owner in enumerate(owners)
        for slot in range(SUBSCRIPTIONS_PER_USER)
    ]
    for subscription in created:
        event_id = f"evt_bench_created_{subscription['id']}"
        headers, body = signed_event(
            event_id, "customer.subscription.created", subscription, secret
        )
        response = await http.post("/webhooks/stripe", content=body, headers=headers)
        if response.status_code != httpx.codes.OK:
            raise SeedFailed(f"webhook {event_id}: {response.status_code} {response.text[:300]}")
    return created
