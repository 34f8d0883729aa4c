"""The Stripe features attached to each product, mirrored by `billing-portal sync`.

Stripe sends no event when a feature is attached to a product or removed from it, so a sync
listing of each product's features is the whole truth about that product: rows it shows are
written newest-wins like every mirror row, rows it no longer shows are removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.handlers.base import id_of, section
from services.mirror.ordering import Version
from services.mirror.store import delete_unlisted, write_if_newer
from services.models import ProductFeature


def _storable(listed: dict[str, Any]) -> bool:
    feature = section(listed, "entitlement_feature")
    return bool(listed.get("id")) and bool(id_of(feature)) and bool(feature.get("lookup_key"))


async def store_product_features(
    connection: BaseDBAsyncClient,
    product_id: str,
    listed: Sequence[dict[str, Any]],
    version: Version,
) -> int:
    """Store one product's complete list of features; returns how many were stored."""
    kept = [product_feature for product_feature in listed if _storable(product_feature)]
    for product_feature in kept:
        feature = section(product_feature, "entitlement_feature")
        values = {
            "id": product_feature["id"],
            "product_id": product_id,
            "feature_id": id_of(feature),
            "lookup_key": feature["lookup_key"],
            "name": feature.get("name") or "",
            "active": feature.get("active") is not False,
        }
        await write_if_newer(connection, ProductFeature, values, version)
    await delete_unlisted(
        connection,
        ProductFeature,
        owner_column="product_id",
        owner=product_id,
        listed_ids=[product_feature["id"] for product_feature in kept],
        version=version,
    )
    return len(kept)
