"""Resolvers for what is for sale (public: a pricing page renders before anyone signs in)."""

from __future__ import annotations

from resolvers.context import Context
from services.mirror.plans import PlanView


async def plans(context: Context) -> list[PlanView]:
    return await context.services.catalog.plans()
