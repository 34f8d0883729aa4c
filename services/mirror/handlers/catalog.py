"""product.* and price.*: the catalog `plans` lists and checkout validates prices against."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import Family, Snapshot, id_of, is_deleted, section
from services.mirror.ordering import Phase, Version
from services.mirror.plan_names import lock_product, refresh_plan_names
from services.mirror.store import write_if_newer
from services.models import Price, Product


async def apply_product(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    values = {
        "id": snapshot["id"],
        "name": snapshot.get("name") or "",
        "description": snapshot.get("description"),
        "active": snapshot.get("active") is not False,
        "deleted": is_deleted(snapshot, phase),
    }
    await lock_product(connection, snapshot["id"])
    await write_if_newer(connection, Product, values, version)
    await refresh_plan_names(connection, snapshot["id"])


async def apply_price(
    connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
) -> None:
    recurring = section(snapshot, "recurring")
    values = {
        "id": snapshot["id"],
        "product_id": id_of(snapshot.get("product")),
        "active": snapshot.get("active") is not False,
        "deleted": is_deleted(snapshot, phase),
        "unit_amount": snapshot.get("unit_amount"),
        "currency": snapshot["currency"],
        "interval": recurring.get("interval"),
        "interval_count": recurring.get("interval_count"),
        "nickname": snapshot.get("nickname"),
    }
    await write_if_newer(connection, Price, values, version)


PRODUCTS = Family(
    apply=apply_product,
    retrieve=lambda v1, object_id: v1.products.retrieve_async(object_id),
)
PRICES = Family(
    apply=apply_price,
    retrieve=lambda v1, object_id: v1.prices.retrieve_async(object_id),
)
