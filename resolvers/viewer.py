"""Resolvers for the signed-in user."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from schema.viewer import Viewer


async def resolve_viewer(info: Info) -> Viewer:
    user = await info.context.user()
    return Viewer(
        id=strawberry.ID(user.external_id),
        email=user.email,
        customer_id=user.stripe_customer_id,
        user=user,
    )
