"""Copying between GraphQL types and service dataclasses, which name their fields alike.

Inputs become service requests and service views become GraphQL types field by field; a
resolver only spells out the fields that differ (an enum, a renamed or converted value).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Target = TypeVar("Target", bound="DataclassInstance")


def copy_fields(target: type[Target], source: object, **overrides: Any) -> Target:
    """A `target` whose init fields come from `overrides`, else from `source`'s same names."""
    names = [field.name for field in fields(target) if field.init]
    unknown = overrides.keys() - set(names)
    if unknown:
        raise TypeError(f"{target.__name__} has no init fields {sorted(unknown)}")
    copied = {name: getattr(source, name) for name in names if name not in overrides}
    return target(**copied, **overrides)
