"""What a page says after one of its forms was posted: a POST answers with a redirect, so the
outcome waits here until the browser GETs the page again (post-redirect-get), then is shown once.

Kept in memory per hosted session: the local stand-in is one process serving one developer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Tone = Literal["success", "error"]


@dataclass(frozen=True, slots=True)
class Notice:
    """The message to show at the top, the problem with each field, and what was typed (to
    type it again is not asked of anyone)."""

    message: str | None
    tone: Tone = "error"
    field_errors: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)


NOTHING = Notice(None)


class Notices:
    """At most one notice per hosted session, each shown once."""

    def __init__(self) -> None:
        self._by_session: dict[str, Notice] = {}

    def leave(self, session_id: str, notice: Notice) -> None:
        self._by_session[session_id] = notice

    def take(self, session_id: str) -> Notice:
        return self._by_session.pop(session_id, NOTHING)
