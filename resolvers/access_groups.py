"""Resolvers for access groups: admins define them (the viewer's own are in resolvers.viewer)."""

from __future__ import annotations

from resolvers.context import Context
from services.access_groups import GroupDefinition


async def access_groups(context: Context) -> list[GroupDefinition]:
    await context.require_admin()
    return await context.services.access_groups.all()


async def save_access_group(context: Context, definition: GroupDefinition) -> GroupDefinition:
    await context.require_admin()
    return await context.services.access_groups.save(definition)


async def delete_access_group(context: Context, key: str) -> bool:
    await context.require_admin()
    await context.services.access_groups.delete(key)
    return True
