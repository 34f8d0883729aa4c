"""Reading what a page's form posted.

Plain `application/x-www-form-urlencoded`, parsed here: the pages' forms post nothing else, and
Starlette's own parser needs python-multipart for it.

The forms carry no CSRF token, on purpose: this is a local stand-in for Stripe in test mode on a
loopback address, holding no real card or money, so a forged post could at most change a test
subscription; a token would only get in the way of scripts and browser tests that post directly.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

from starlette.requests import Request

# Far more than any of the pages' forms can hold.
MAX_FORM_BYTES = 16_384


async def posted_form(request: Request) -> dict[str, str]:
    """The posted fields by name (the last value of a repeated name); nothing if oversized."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return {}
    return dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))


def kept(form: dict[str, str], *names: str) -> dict[str, str]:
    """The fields `names` as typed, to show them again next to what was wrong."""
    return {name: form[name] for name in names if name in form}
