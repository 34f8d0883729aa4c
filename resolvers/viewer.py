"""Resolvers for the signed-in user."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from schema.viewer import Viewer


async def resolve_viewer(info: Info) -> Viewer:
    account = await info.context.account()
    return Viewer(
        id=strawberry.ID(account.user_id),
        email=account.email,
        customer_id=account.customer_id,
        account=account,
    )
