"""Resolvers for what is for sale (public: a pricing page renders before anyone signs in)."""

from __future__ import annotations

from resolvers.context import Info
from schema.types import Plan


async def resolve_plans(info: Info) -> list[Plan]:
    return [
        Plan(
            price_id=plan.price_id,
            product_id=plan.product_id,
            name=plan.name,
            unit_amount=plan.unit_amount,
            currency=plan.currency,
            interval=plan.interval,
            interval_count=plan.interval_count,
            nickname=plan.nickname,
        )
        for plan in await info.context.services.api.catalog.plans()
    ]
