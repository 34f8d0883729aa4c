"""A subscription's plan name: its price's nickname, else its product's current name.

The name is copied onto the subscription row (what `viewer.subscriptions` reads). Both writes
that can change it, a subscription's own snapshot and a rename of its product, compute it in
the database with the one expression `plan_name_sql` builds, so the product's name is read in
the statement that stores it. A product event and a subscription event of the same product must
not interleave: both take a lock on the product id for the rest of their transaction (a
PostgreSQL advisory lock; SQLite already runs one transaction at a time), and whichever commits
second then sees the other's row.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.models import Product, Subscription
from services.sql import Computed, placeholders


def plan_name_sql(nickname: str, product_id: str) -> str:
    """The plan name rule as SQL, over the expressions giving the nickname and the product id.

    An empty nickname counts as none.
    """
    products = Product._meta.db_table
    product_name = f'(SELECT "name" FROM "{products}" WHERE "id" = {product_id})'  # noqa: S608
    return f"COALESCE(NULLIF({nickname}, ''), {product_name})"


async def lock_product(connection: BaseDBAsyncClient, product_id: str) -> None:
    if connection.capabilities.dialect == "postgres":
        (marker,) = placeholders(connection, 1)
        await connection.execute_query(
            f"SELECT pg_advisory_xact_lock(hashtext({marker}))", [product_id]
        )


async def plan_name(
    connection: BaseDBAsyncClient, nickname: str | None, product_id: str | None
) -> Computed:
    """The subscription's plan name, computed by the subscription's own write.

    The product is locked until the caller's transaction ends, before the write that reads it.
    """
    if product_id is not None:
        await lock_product(connection, product_id)
    return Computed(plan_name_sql("{}", "{}"), (nickname, product_id))


async def refresh_plan_names(connection: BaseDBAsyncClient, product_id: str) -> None:
    """Subscriptions of this product take its current name, whichever event came first.

    Call it after `lock_product` and the product's own write, in the same transaction.
    """
    subscriptions = Subscription._meta.db_table
    (matching,) = placeholders(connection, 1)
    name = plan_name_sql(f'"{subscriptions}"."price_nickname"', f'"{subscriptions}"."product_id"')
    await connection.execute_query(
        f'UPDATE "{subscriptions}" SET "plan_name" = {name} WHERE "product_id" = {matching}',  # noqa: S608
        [product_id],
    )
