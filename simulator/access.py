"""The access groups the host app's admin saves before the journeys: Softr-style payment
conditions over the simulated catalog, one of each kind.

Keys start with the run's namespace, so runs sharing one service keep their groups apart; the
scripts name a group by the rest of its key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class GroupPlan:
    """A group as the scripts know it: `products` are catalog roles ("basic", "setup")."""

    name: str
    title: str
    condition: str
    products: tuple[str, ...]


ACCESS_GROUPS = (
    GroupPlan("subscribers", "Subscribers", "IS_ONE_OF", ("basic", "pro")),
    GroupPlan("pro-members", "Pro members", "IS_ONE_OF", ("pro",)),
    GroupPlan("setup-buyers", "Bought the setup session", "IS_ONE_OF", ("setup",)),
    GroupPlan("visitors", "Bought nothing yet", "IS_NONE_OF", ("basic", "pro", "setup")),
    GroupPlan("pro-with-setup", "Pro with the setup session", "HAS_ALL_OF", ("pro", "setup")),
)


def group_keys(namespace: str) -> dict[str, str]:
    """Each group's key in the service, by the name the scripts use."""
    prefix = re.sub(r"[^a-z0-9]+", "-", namespace.lower()).strip("-")
    return {plan.name: f"{prefix}-{plan.name}" for plan in ACCESS_GROUPS}
