"""Label values from outside the code (operation names, URL paths, event types), kept to a
bounded set: each distinct label value is a time series Prometheus stores for as long as it
keeps the data, so a caller sending ever new names must not be able to grow them."""

from __future__ import annotations

OTHER = "other"


class BoundedLabel:
    """The first `limit` distinct values of at most `max_length` characters are kept as
    they are; anything else, and None, is `other`."""

    def __init__(self, limit: int, *, max_length: int = 100) -> None:
        self._limit = limit
        self._max_length = max_length
        self._kept: set[str] = set()

    def __call__(self, value: str | None) -> str:
        if value is None or len(value) > self._max_length:
            return OTHER
        if value in self._kept:
            return value
        if len(self._kept) >= self._limit:
            return OTHER
        self._kept.add(value)
        return value
