"""Which catalog prices a checkout may sell (services.catalog.Catalog.purchasable)."""

from __future__ import annotations

import pytest

from services.errors import BadUserInput
from services.mirror.plans import PlanView
from services.models import Price, Product
from tests.api.conftest import BASIC_PRICE, BASIC_PRODUCT, ONE_TIME_PRICE


@pytest.fixture
def purchasable(app, catalog):
    return app.state.services.catalog.purchasable


async def test_an_active_price_of_an_active_product_is_sold_with_the_product_name(purchasable):
    plan = await purchasable(BASIC_PRICE, "subscription")

    assert plan == PlanView(
        price_id=BASIC_PRICE,
        product_id=BASIC_PRODUCT,
        name="Basic",
        unit_amount=900,
        currency="usd",
        interval="month",
        interval_count=1,
        nickname=None,
    )


@pytest.mark.parametrize("retired", [{"active": False}, {"deleted": True}])
async def test_no_price_of_an_archived_or_deleted_product_is_sold(purchasable, retired):
    await Product.filter(id=BASIC_PRODUCT).update(**retired)

    with pytest.raises(BadUserInput, match="not an available plan"):
        await purchasable(BASIC_PRICE, "subscription")


async def test_a_deleted_price_is_not_sold(purchasable):
    await Price.filter(id=ONE_TIME_PRICE).update(deleted=True)

    with pytest.raises(BadUserInput, match="not an available plan"):
        await purchasable(ONE_TIME_PRICE, "payment")


@pytest.mark.parametrize(("nickname", "name"), [("Early bird", "Early bird"), (None, "prod_new")])
async def test_a_price_whose_product_has_not_arrived_yet_is_sold_under_its_nickname(
    purchasable, nickname, name
):
    await Price.create(
        id="price_new", product_id="prod_new", currency="usd", unit_amount=100, nickname=nickname
    )

    plan = await purchasable("price_new", "payment")

    assert (plan.product_id, plan.name) == ("prod_new", name)
