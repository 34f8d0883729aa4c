"""Which characters stored text may hold: what a page can render as written, and a database store.

Admin-written text (block titles, portal headlines) is shown to customers by a host page, and
identities from tokens are stored and shown to admins. Characters that do not render as
themselves are refused there: controls (a NUL also makes PostgreSQL refuse the row), unpaired
surrogates (no database can encode them), direction overrides and isolates (they reorder what
follows them, so "exe.txt" can read as "txt.exe"), zero-width and other invisible format
characters, line separators, non-characters, and the filler letters that render as nothing.

The zero-width joiner and non-joiner stay allowed: emoji sequences and Persian or Indic writing
need them, and they change how letters join, not what they say or where they go.
"""

from __future__ import annotations

import unicodedata

from services.errors import BadUserInput

ALLOWED_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
# Letters and symbols that render as blank space while not being whitespace (spoofed "empty"
# titles and names).
INVISIBLE_FILLERS = frozenset(
    {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u2800", "\u3164", "\uffa0"}
)

_KINDS = {
    "Cc": "control characters",
    "Cf": "invisible formatting or text direction characters",
    "Cs": "unpaired surrogates",
    "Zl": "line or paragraph separators",
    "Zp": "line or paragraph separators",
}


def unsafe_character(value: str, *, newlines: bool = False) -> str | None:
    """What is wrong with `value` (the kind and code point of its first unsafe character), or
    None when every character may be stored and rendered. `newlines` lets plain "\\n" through."""
    for char in value:
        if char == "\n" and newlines:
            continue
        kind = _unsafe_kind(char)
        if kind is not None:
            return f"{kind} (U+{ord(char):04X})"
    return None


def storable(value: str) -> bool:
    """Whether every supported database can store (or look up) `value`: PostgreSQL refuses NUL
    in text, and no database can encode an unpaired surrogate. For identifiers a client sends,
    which are then simply not found."""
    return not any(char == "\x00" or "\ud800" <= char <= "\udfff" for char in value)


def safe_text(value: str, *, field: str, multiline: bool = False) -> str:
    """`value` when it is safe to store and render; BAD_USER_INPUT naming `field` otherwise.

    Only multi-line fields may hold a line break, and then only a plain newline.
    """
    problem = unsafe_character(value, newlines=multiline)
    if problem is not None:
        raise BadUserInput(f"{field} must not contain {problem}.")
    return value


def _unsafe_kind(char: str) -> str | None:
    category = unicodedata.category(char)
    if category in _KINDS and char not in ALLOWED_FORMAT_CHARACTERS:
        return _KINDS[category]
    if char in INVISIBLE_FILLERS:
        return "invisible filler characters"
    if _is_noncharacter(char):
        return "non-characters"
    return None


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
