"""Ids for one role's Stripe objects, each named in the run's `Roles` as it is minted.

Minting from the namespace and the object's role (never a counter shared between journeys)
keeps a journey's ids, and so its events, the same however concurrent journeys interleave.
"""

from __future__ import annotations

from simulator.naming import Roles, mint_id


class IdMint:
    """Mints `<prefix>_sim_...` ids for everything one role ("customer 3", "catalog") owns."""

    def __init__(self, namespace: str, role: str, roles: Roles) -> None:
        self.namespace = namespace
        self.role = role
        self.roles = roles

    def mint(self, prefix: str, what: str) -> str:
        return mint_id(prefix, self.namespace, f"{self.role} {what}")

    def name(self, object_id: str, what: str) -> str:
        """Reports call `object_id` "<role>'s <what>" from now on; returns the id."""
        return self.roles.name(object_id, f"{self.role}'s {what}")

    def mint_named(self, prefix: str, what: str) -> str:
        return self.name(self.mint(prefix, what), what)
