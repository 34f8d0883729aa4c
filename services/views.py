"""Read-only copies of stored rows: what services hand to the layers above them.

Resolvers map these to GraphQL types and never see a model, so the store can change without
touching the API layers.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, TypeVar

from tortoise.models import Model

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

View = TypeVar("View", bound="DataclassInstance")


def view_of(view: type[View], row: Model) -> View:
    """The columns of `row` that `view` names (a view's fields are a subset of its model's)."""
    return view(**{field.name: getattr(row, field.name) for field in fields(view)})
