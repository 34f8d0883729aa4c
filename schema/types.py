"""GraphQL object types: what the API returns (contract section 4)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The signed-in user.")
class Viewer:
    id: strawberry.ID
    email: str | None
    customer_id: str | None = strawberry.field(
        description="Stripe customer id; null before the first checkout."
    )
