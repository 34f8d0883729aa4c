"""Where a provider's token keeps the user's email and what makes them an admin.

Each sign-in provider puts them elsewhere: a top-level claim (`email`, `role`), a nested one
(`app_metadata.role` in Supabase, `realm_access.roles` in Keycloak), or a namespaced claim whose
name is a URL full of dots (`https://example.com/roles`, as Auth0 requires). A path is therefore
read by trying the longest name the claims hold at each level: a dot separates levels only where
no claim has the dotted name itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ADMIN_CLAIM_SEPARATOR = "="
DEFAULT_EMAIL_CLAIM = "email"
DEFAULT_ADMIN_CLAIM = "role=admin"


class ClaimRuleInvalid(ValueError):
    """A configured claim path or admin rule cannot be read; the message says how to write it."""


def claim_at(claims: Mapping[str, object], path: str) -> object | None:
    """The value at `path` (see the module), or None when the claims do not hold it."""
    if path in claims:
        return claims[path]
    dot = path.rfind(".")
    while dot > 0:
        parent = claims.get(path[:dot])
        if isinstance(parent, Mapping):
            found = claim_at(parent, path[dot + 1 :])
            if found is not None:
                return found
        dot = path.rfind(".", 0, dot)
    return None


def claim_path(path: str) -> str:
    """`path` as configured, refused when it names no claim at all."""
    path = path.strip()
    if not path or any(not part for part in path.split(".")):
        raise ClaimRuleInvalid(f"'{path}' is not a claim name or a dotted path of claim names")
    return path


@dataclass(frozen=True, slots=True)
class AdminClaim:
    """The claim that makes a user an admin, and the value it must hold (or, for a list of
    roles or groups, contain). A true boolean claim matches the value `true`."""

    path: str
    value: str

    @classmethod
    def parse(cls, rule: str) -> AdminClaim:
        """`path=value`, split at the last `=` (a claim name may be a URL; a role has no `=`)."""
        path, separator, value = rule.rpartition(ADMIN_CLAIM_SEPARATOR)
        if not separator or not value.strip():
            raise ClaimRuleInvalid(
                f"'{rule}' is not CLAIM=VALUE (for example role=admin or app_metadata.role=admin)"
            )
        return cls(path=claim_path(path), value=value.strip())

    def values_in(self, claims: Mapping[str, object]) -> list[str]:
        """The claim's text values as the token holds them: none, one, or each of a list."""
        held = claim_at(claims, self.path)
        items = held if isinstance(held, list) else [held]
        return [_as_text(item) for item in items if isinstance(item, str | bool)]

    def holds(self, values: list[str]) -> bool:
        return self.value in values


ROLE_IS_ADMIN = AdminClaim.parse(DEFAULT_ADMIN_CLAIM)


def _as_text(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
