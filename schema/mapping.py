"""Copying between GraphQL types and service dataclasses, which name their fields alike.

Service values become GraphQL types, and GraphQL inputs become service requests, field by field;
a schema type only spells out the fields that differ (an enum, a renamed or converted value).
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Target = TypeVar("Target", bound="DataclassInstance")


def copy_fields(target: type[Target], source: object, **overrides: Any) -> Target:
    """A `target` whose init fields come from `overrides`, else from `source`'s same names."""
    return target(**_values(target, source, overrides))


def request_of(request: type[Target], given: object, **overrides: Any) -> Target:
    """A service request from a GraphQL input, copied as `copy_fields` does, except that a null
    takes the request's own default: each default is written once, in the service."""
    defaulted = {field.name for field in fields(request) if _has_default(field)}
    values = _values(request, given, overrides)
    return request(
        **{
            name: value
            for name, value in values.items()
            if value is not None or name not in defaulted
        }
    )


def service_default(request: type[DataclassInstance], name: str) -> Any:
    """The default a service request gives `name`, for the GraphQL input that shows it."""
    [field] = [field for field in fields(request) if field.name == name]
    if field.default is MISSING:
        raise TypeError(f"{request.__name__}.{name} has no plain default")
    return field.default


def _has_default(field: Field[Any]) -> bool:
    return field.default is not MISSING or field.default_factory is not MISSING


def _values(
    target: type[DataclassInstance], source: object, overrides: dict[str, Any]
) -> dict[str, Any]:
    names = [field.name for field in fields(target) if field.init]
    unknown = overrides.keys() - set(names)
    if unknown:
        raise TypeError(f"{target.__name__} has no init fields {sorted(unknown)}")
    return {name: overrides[name] if name in overrides else getattr(source, name) for name in names}
