"""A small in-process cache: bounded in size and in how long it trusts what it holds.

The instance caches (accounts, verified tokens) each need exactly this and nothing more; a
library cache would bring locking and policies the event loop does not need.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most `max_size` values, each served for at most `max_age` seconds after it was put;
    the least recently used is forgotten first."""

    def __init__(
        self, max_size: int, max_age: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._max_size = max_size
        self._max_age = max_age
        self._clock = clock
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, put_at = entry
        if self._clock() - put_at >= self._max_age:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._entries[key] = (value, self._clock())
        self._entries.move_to_end(key)
        if len(self._entries) > self._max_size:
            self._entries.popitem(last=False)
