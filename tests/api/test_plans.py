"""`plans`: the public catalog a Pricing block renders, from the mirror or, once, from Stripe."""

from __future__ import annotations

from services.models import Price, Product
from tests.api.conftest import BASIC_PRICE, BASIC_PRODUCT, ONE_TIME_PRICE, PRO_PRICE
from tests.support import graphql

PLANS = "query { plans { priceId productId name unitAmount currency interval intervalCount } }"


async def test_plans_list_active_prices_with_their_product_names(client, catalog):
    body = await graphql(client, PLANS)

    assert body["data"]["plans"] == [
        {
            "priceId": BASIC_PRICE,
            "productId": BASIC_PRODUCT,
            "name": "Basic",
            "unitAmount": 900,
            "currency": "usd",
            "interval": "month",
            "intervalCount": 1,
        },
        {
            "priceId": ONE_TIME_PRICE,
            "productId": "prod_ebook",
            "name": "E-book",
            "unitAmount": 1500,
            "currency": "eur",
            "interval": None,
            "intervalCount": None,
        },
        {
            "priceId": PRO_PRICE,
            "productId": "prod_pro",
            "name": "Pro",
            "unitAmount": 2900,
            "currency": "usd",
            "interval": "month",
            "intervalCount": 1,
        },
    ]


async def test_prices_of_an_archived_or_deleted_product_are_not_plans(client, catalog):
    await Product.filter(id="prod_pro").update(active=False)
    await Product.filter(id="prod_ebook").update(deleted=True)

    body = await graphql(client, PLANS)

    assert [plan["priceId"] for plan in body["data"]["plans"]] == [BASIC_PRICE]


async def test_an_empty_catalog_is_filled_once_from_stripe(client, database):
    body = await graphql(client, PLANS)

    [plan] = body["data"]["plans"]
    assert plan["priceId"].startswith("price_")
    assert plan["name"]
    assert await Price.filter(id=plan["priceId"]).exists()
    assert await Product.filter(id=plan["productId"]).exists()


async def test_plans_are_cached_for_a_few_seconds(client, catalog):
    first = await graphql(client, PLANS)
    await Price.filter(id=PRO_PRICE).update(active=False)

    second = await graphql(client, PLANS)

    assert second == first


async def test_plans_need_no_token(client, catalog):
    body = await graphql(client, PLANS)

    assert "errors" not in body
