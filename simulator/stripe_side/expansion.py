"""`expand[]`: the ids a request names replaced by their objects, as Stripe answers it.

Each path (`subscription`, `subscription.default_payment_method`, `data.product`) is followed
level after level; `data` steps into every item of a list. An id the account does not hold
stays an id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from simulator.stripe_side.objects import StripeObject

Finder = Callable[[str], StripeObject | None]
"""The object with this id, rendered as it is now; None when the account holds none."""


def expand_ids(rendered: StripeObject, paths: Iterable[str], find: Finder) -> StripeObject:
    """`rendered` with the ids each of `paths` names replaced by what `find` finds."""
    for path in paths:
        _expand(rendered, path.split("."), find)
    return rendered


def _expand(node: Any, path: list[str], find: Finder) -> None:
    if not path or not isinstance(node, dict):
        return
    head, rest = path[0], path[1:]
    if head == "data" and node.get("object") == "list":
        for item in node["data"]:
            _expand(item, rest, find)
        return
    value = node.get(head)
    if isinstance(value, str):
        found = find(value)
        if found is not None:
            node[head] = value = found
    _expand(value, rest, find)
