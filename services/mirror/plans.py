"""The catalog as the mirror holds it: each price with its product's name, as a plan.

Every read joins a price to its product in one statement. A product whose event has not
arrived yet does not hide its prices: until it does, a plan is named after the price's nickname
or its product id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.connections import read_connection
from services.models import Price, Product
from services.sql import placeholders

# A price checkout may sell: active, not deleted, and of a product that is neither inactive nor
# deleted (or not known yet).
SELLABLE = (
    'price."active" AND NOT price."deleted" '
    'AND (product."id" IS NULL OR (product."active" AND NOT product."deleted"))'
)
_SELECT = (
    'SELECT price."id", price."product_id", price."unit_amount", price."currency", '  # noqa: S608
    'price."interval", price."interval_count", price."nickname", '
    'product."id" AS "known_product", product."name" AS "product_name" '
    f'FROM "{Price._meta.db_table}" AS price LEFT JOIN "{Product._meta.db_table}" AS product '
    'ON product."id" = price."product_id"'
)


@dataclass(frozen=True, slots=True)
class PlanView:
    price_id: str
    product_id: str
    name: str
    unit_amount: int | None
    currency: str
    interval: str | None
    interval_count: int | None
    nickname: str | None

    @property
    def recurring(self) -> bool:
        return self.interval is not None


async def sellable_plans() -> list[PlanView]:
    """Every sellable price, by name, then cheapest first within a name."""
    plans = [
        _plan(row)
        for row in await _rows(f'WHERE {SELLABLE} ORDER BY price."unit_amount", price."id"', [])
    ]
    plans.sort(key=lambda plan: plan.name)
    return plans


async def sellable_plan(price_id: str) -> PlanView | None:
    """The price if it is sellable, else None."""
    [marker] = placeholders(Price._meta.db, 1)
    rows = await _rows(f'WHERE price."id" = {marker} AND {SELLABLE}', [price_id])
    return _plan(rows[0]) if rows else None


async def plans_of_prices(price_ids: Sequence[str]) -> dict[str, PlanView]:
    """The plan of each known price, retired ones too (a subscription may still be on one)."""
    if not price_ids:
        return {}
    markers = ", ".join(placeholders(Price._meta.db, len(price_ids)))
    rows = await _rows(f'WHERE price."id" IN ({markers})', list(price_ids))
    return {row["id"]: _plan(row) for row in rows}


async def _rows(condition: str, parameters: list[Any]) -> list[dict[str, Any]]:
    return await read_connection(Price).execute_query_dict(f"{_SELECT} {condition}", parameters)


def _plan(row: dict[str, Any]) -> PlanView:
    return PlanView(
        price_id=row["id"],
        product_id=row["product_id"],
        name=plan_display_name(
            row["product_name"] if row["known_product"] else None,
            row["nickname"],
            row["product_id"],
        ),
        unit_amount=row["unit_amount"],
        currency=row["currency"],
        interval=row["interval"],
        interval_count=row["interval_count"],
        nickname=row["nickname"],
    )


def plan_display_name(product_name: str | None, nickname: str | None, product_id: str) -> str:
    """A plan's name: its product's; before the product is known, the price's nickname or its
    product id."""
    return product_name if product_name is not None else (nickname or product_id)


async def known_product_ids(product_ids: Sequence[str]) -> set[str]:
    """Those of `product_ids` the catalog knows: a product not deleted, or one a price names."""
    if not product_ids:
        return set()
    connection = read_connection(Product)
    markers = placeholders(connection, 2 * len(product_ids))
    products, prices = markers[: len(product_ids)], markers[len(product_ids) :]
    rows = await connection.execute_query_dict(
        f'SELECT "id" FROM "{Product._meta.db_table}" '  # noqa: S608
        f'WHERE "id" IN ({", ".join(products)}) AND NOT "deleted" '
        f'UNION SELECT "product_id" AS "id" FROM "{Price._meta.db_table}" '
        f'WHERE "product_id" IN ({", ".join(prices)})',
        [*product_ids, *product_ids],
    )
    return {str(row["id"]) for row in rows}
