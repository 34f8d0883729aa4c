"""Access groups: users grouped by what they bought, as Softr's payment conditions group them.

An admin defines a group by a condition over catalog products: IS_ONE_OF (bought at least one of
them), IS_NONE_OF (bought none of them: the free users of those products) or HAS_ALL_OF
(bought every one of them). Whether a product counts as bought is the mirror's ownership rule;
a viewer's groups cost two queries however many groups exist (the groups, and what the viewer
owns), the conditions being evaluated here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, cast, get_args

from services.access import Access
from services.catalog import Catalog
from services.errors import BadUserInput, NotFound
from services.models import AccessGroup
from services.text import safe_text, storable
from services.users import BillingUser

Condition = Literal["is_one_of", "is_none_of", "has_all_of"]
CONDITIONS: tuple[Condition, ...] = get_args(Condition)
MAX_KEY_LENGTH = 64
MAX_NAME_LENGTH = 200
MAX_PRODUCTS = 50
MAX_PRODUCT_ID_LENGTH = 255
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class GroupDefinition:
    """What an admin saves (the group under `key` is created, or replaced), and what is read
    back once it is checked and stored."""

    key: str
    name: str
    condition: Condition
    product_ids: tuple[str, ...]


def is_member(condition: Condition, product_ids: Iterable[str], owned: frozenset[str]) -> bool:
    """Whether someone who owns `owned` meets `condition` over `product_ids`."""
    if condition == "is_one_of":
        return not owned.isdisjoint(product_ids)
    if condition == "is_none_of":
        return owned.isdisjoint(product_ids)
    return owned.issuperset(product_ids)


class AccessGroups:
    def __init__(self, *, catalog: Catalog, access: Access) -> None:
        self._catalog = catalog
        self._access = access

    async def save(self, definition: GroupDefinition) -> GroupDefinition:
        """Create or replace the group; BAD_USER_INPUT says what is wrong with the definition."""
        key = checked_key(definition.key)
        name = _checked_name(definition.name)
        if definition.condition not in CONDITIONS:
            raise BadUserInput(f"condition must be one of {', '.join(CONDITIONS)}.")
        product_ids = await self._checked_products(definition.product_ids)
        await AccessGroup.update_or_create(
            key=key,
            defaults={
                "name": name,
                "condition": definition.condition,
                "product_ids": list(product_ids),
            },
        )
        return GroupDefinition(key, name, definition.condition, product_ids)

    async def delete(self, key: str) -> None:
        """Delete the group, or NOT_FOUND when there is none under `key`."""
        if not await AccessGroup.filter(key=checked_key(key)).delete():
            raise NotFound(f"There is no access group {key!r}.")

    async def all(self) -> list[GroupDefinition]:
        """Every group, by key."""
        rows = await AccessGroup.all().order_by("key")
        return [
            GroupDefinition(row.key, row.name, _condition(row.condition), tuple(row.product_ids))
            for row in rows
        ]

    async def of_viewer(self, user: BillingUser) -> list[str]:
        """The keys of the groups `user` is in now, by key."""
        groups = (
            await AccessGroup.all().order_by("key").values_list("key", "condition", "product_ids")
        )
        owned = await self._access.owned_products(user)
        return [
            str(key)
            for key, condition, product_ids in groups
            if is_member(_condition(condition), product_ids, owned)
        ]

    async def _checked_products(self, product_ids: Sequence[str]) -> tuple[str, ...]:
        unique = tuple(dict.fromkeys(product_ids))
        if not 1 <= len(unique) <= MAX_PRODUCTS:
            raise BadUserInput(f"productIds must name between 1 and {MAX_PRODUCTS} products.")
        malformed = [
            product_id
            for product_id in unique
            if not product_id or len(product_id) > MAX_PRODUCT_ID_LENGTH or not storable(product_id)
        ]
        if malformed:
            raise BadUserInput("productIds must be the catalog's product ids.")
        known = await self._catalog.known_products(unique)
        unknown = [product_id for product_id in unique if product_id not in known]
        if unknown:
            raise BadUserInput(f"The catalog has no product {', '.join(map(repr, unknown))}.")
        return unique


def checked_key(key: str) -> str:
    """A group's key: a slug (lowercase letters and digits in dash-separated words)."""
    if not (len(key) <= MAX_KEY_LENGTH and SLUG.fullmatch(key)):
        raise BadUserInput(
            f"key must be a slug of at most {MAX_KEY_LENGTH} characters: lowercase letters and "
            "digits, words separated by single dashes."
        )
    return key


def _checked_name(name: str) -> str:
    stripped = name.strip()
    if not 1 <= len(stripped) <= MAX_NAME_LENGTH:
        raise BadUserInput(f"name must be between 1 and {MAX_NAME_LENGTH} characters.")
    return safe_text(stripped, field="name")


def _condition(stored: object) -> Condition:
    return cast(Condition, stored)
