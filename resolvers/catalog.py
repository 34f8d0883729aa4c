"""Resolvers for what is for sale (public: a pricing page renders before anyone signs in)."""

from __future__ import annotations

from resolvers.context import Info
from resolvers.mapping import copy_fields
from schema.types import Plan


async def resolve_plans(info: Info) -> list[Plan]:
    return [copy_fields(Plan, plan) for plan in await info.context.services.api.catalog.plans()]
