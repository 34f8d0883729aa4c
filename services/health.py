"""Readiness: can this instance serve requests right now (database and Stripe both answer)?"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise import connections

from services.stripe_gateway import StripeGateway


@dataclass(frozen=True, slots=True)
class Readiness:
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return not self.problems


async def check_readiness(stripe: StripeGateway) -> Readiness:
    problems: dict[str, str] = {}
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # any driver failure means "not ready", with its name as reason
        problems["database"] = f"database did not answer: {type(error).__name__}"
    stripe_problem = await stripe.ping()
    if stripe_problem is not None:
        problems["stripe"] = stripe_problem
    return Readiness(problems)
