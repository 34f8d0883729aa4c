"""Linking a Stripe customer to the host app's user: at most one customer per user, ever.

The link is only ever added, never moved: a user who already has a customer keeps it, and a
customer that already belongs to a user is not given to a second one. The unique columns of
`users` enforce both even against a concurrent writer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.backends.base.client import BaseDBAsyncClient

from services.models import User
from services.sql import placeholders


async def link_customer(connection: BaseDBAsyncClient, user_id: str, customer_id: str) -> None:
    """Give `user_id` the customer when neither side has a link yet (creating the user row)."""
    now = datetime.now(UTC)
    table = User._meta.db_table
    # Markers are numbered in the order they appear: SQLite binds `?` by position.
    customer, stamp, user, taken = placeholders(connection, 4)
    await connection.execute_query(
        f'UPDATE "{table}" SET "stripe_customer_id" = {customer}, "updated_at" = {stamp} '  # noqa: S608
        f'WHERE "external_id" = {user} AND "stripe_customer_id" IS NULL AND NOT EXISTS '
        f'(SELECT 1 FROM "{table}" AS linked WHERE linked."stripe_customer_id" = {taken})',
        [customer_id, now, user_id, customer_id],
    )
    # The user may not have signed in yet: the row is created with its link, unless either
    # the user or the customer is already taken (then the statement does nothing).
    user, customer, created, updated = placeholders(connection, 4)
    await connection.execute_query(
        f'INSERT INTO "{table}" ("external_id", "stripe_customer_id", "created_at", "updated_at") '  # noqa: S608
        f"VALUES ({user}, {customer}, {created}, {updated}) ON CONFLICT DO NOTHING",
        [user_id, customer_id, now, now],
    )
