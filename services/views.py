"""Read-only copies of stored rows: what services hand to the layers above them.

Resolvers map these to GraphQL types and never see a model, so the store can change without
touching the API layers.
"""

from __future__ import annotations

from dataclasses import fields
from functools import cache
from typing import TYPE_CHECKING, TypeVar

from tortoise.models import Model

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

View = TypeVar("View", bound="DataclassInstance")


@cache
def columns(view: type[DataclassInstance]) -> tuple[str, ...]:
    """The columns a view copies (a view's fields are a subset of its model's), for `values()`.

    Reading these as plain values skips building model objects, the larger part of a read.
    """
    return tuple(field.name for field in fields(view))


def view_of(view: type[View], row: Model) -> View:
    """The columns of `row` that `view` names."""
    return view(**{name: getattr(row, name) for name in columns(view)})
