"""Readiness: can this instance serve requests right now (database and Stripe both answer)?"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from tortoise import connections

from services.stripe_gateway import StripeGateway

# A load balancer polls this: a hung database must turn into "not ready", not a hung probe.
DATABASE_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Readiness:
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.problems


async def _database_problem() -> str | None:
    try:
        async with asyncio.timeout(DATABASE_TIMEOUT_SECONDS):
            await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # any driver failure means "not ready", with its name as reason
        return f"database did not answer: {type(error).__name__}"
    return None


async def check_readiness(stripe: StripeGateway) -> Readiness:
    database, stripe_api = await asyncio.gather(_database_problem(), stripe.ping())
    problems = {
        name: problem
        for name, problem in (("database", database), ("stripe", stripe_api))
        if problem is not None
    }
    return Readiness(problems)
