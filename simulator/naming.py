"""Deterministic ids and role names, so a report never shows an id stripe-mock made up.

stripe-mock answers every create with a fresh random id, which would make two runs with one seed
differ. The simulator therefore mints its own ids from the run's namespace and an object's role in
the journey, and every message that reaches the report is rewritten from ids to those roles.
"""

from __future__ import annotations

import hashlib
import re

_STRIPE_ID = re.compile(r"\b(?:cus|sub|si|pm|in|il|price|prod|cs|pi|ch|evt|bps|req)_[A-Za-z0-9_]+")


def mint_id(prefix: str, namespace: str, role: str) -> str:
    """`sub_sim_<hash>`: the same namespace and role always give the same id."""
    digest = hashlib.sha256(f"{namespace}\x1f{role}".encode()).hexdigest()[:20]
    return f"{prefix}_sim_{digest}"


class Roles:
    """Which role each id plays; `describe` rewrites any text into role names."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    def name(self, object_id: str, role: str) -> str:
        self._names[object_id] = role
        return object_id

    def of(self, object_id: str | None) -> str | None:
        if object_id is None:
            return None
        return self._names.get(object_id, "an object the simulator never created")

    def describe(self, text: str) -> str:
        for object_id, role in self._names.items():
            text = text.replace(object_id, role)
        return _STRIPE_ID.sub("<unknown id>", text)
