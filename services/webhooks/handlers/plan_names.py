"""A subscription's plan name: its price's nickname, else its product's current name.

The name is copied onto the subscription row (what `viewer.subscriptions` reads), so a product
event and a subscription event of the same product must not interleave: both take a lock on the
product id for the rest of their transaction (a PostgreSQL advisory lock; SQLite already runs
one transaction at a time). Whichever commits second then sees the other's row.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.models import Product, Subscription
from services.webhooks.store import Computed, placeholders


async def lock_product(connection: BaseDBAsyncClient, product_id: str) -> None:
    if connection.capabilities.dialect == "postgres":
        (marker,) = placeholders(connection, 1)
        await connection.execute_query(
            f"SELECT pg_advisory_xact_lock(hashtext({marker}))", [product_id]
        )


async def plan_name(
    connection: BaseDBAsyncClient, nickname: str | None, product_id: str | None
) -> str | Computed | None:
    """The price's nickname, else its product's name read by the subscription's own write.

    The product is locked until the caller's transaction ends, before the write that reads it.
    """
    if nickname:
        return nickname
    if product_id is None:
        return None
    await lock_product(connection, product_id)
    products = Product._meta.db_table
    return Computed(f'(SELECT "name" FROM "{products}" WHERE "id" = {{}})', (product_id,))  # noqa: S608


async def refresh_plan_names(connection: BaseDBAsyncClient, product_id: str) -> None:
    """Subscriptions named after this product take its current name, whichever came first.

    Call it after `lock_product` and the product's own write, in the same transaction.
    """
    subscriptions, products = Subscription._meta.db_table, Product._meta.db_table
    named, matching = placeholders(connection, 2)
    await connection.execute_query(
        f'UPDATE "{subscriptions}" SET "plan_name" = '  # noqa: S608 - names from models
        f'(SELECT "name" FROM "{products}" WHERE "id" = {named}) '
        f'WHERE "product_id" = {matching} AND "price_nickname" IS NULL',
        [product_id, product_id],
    )
