"""The one rule for URLs a browser is sent to or loads (success, cancel, return and block Redirect
URLs, block background images).

Stripe redirects the customer's browser to these URLs, so an attacker who could choose them would
get an open redirect on a payment page; and host pages write them into attributes, styles and
scripts, so a URL must not be able to end the quoted value it sits in. A URL passes only when:

- it is printable ASCII without the characters that end or escape a quoted attribute, a CSS
  `url()` or a JavaScript string (quotes, angle brackets, backtick, backslash, parentheses,
  braces) - their percent-encoded forms are fine, and full-width or other look-alikes are
  non-ASCII, so they are refused too (an international host is written in its `xn--` form);
- the WHATWG URL parser, which is how browsers read URLs, reads it back unchanged (up to the
  case of the scheme and host, and the "/" a browser adds after a bare host). So the host checked
  here is the host the browser goes to: no numeric shorthands such as `0x7f.1`, no default
  ports, no dot segments, no backslashes read as slashes;
- it has no user information (`https://allowed.example@evil.example/` goes to evil.example);
- it is https (plain http only for a loopback host outside prod), and a redirect's host is one of
  the allowed hosts exactly (a trailing dot or another subdomain is another host).

Stripe's `{CHECKOUT_SESSION_ID}` template is the one use of braces allowed, as written.
"""

from __future__ import annotations

from dataclasses import dataclass

import ada_url

from services.errors import BadUserInput

MAX_URL_LENGTH = 2048
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})
SESSION_ID_TEMPLATE = "{CHECKOUT_SESSION_ID}"
# What the template is read as while checking: it must survive parsing unchanged anywhere.
_TEMPLATE_STAND_IN = "CHECKOUT_SESSION_ID"
ATTRIBUTE_BREAKERS = frozenset("\"'<>`\\(){}")


@dataclass(frozen=True, slots=True)
class RedirectPolicy:
    allowed_hosts: frozenset[str]
    allow_loopback_http: bool

    @classmethod
    def of(cls, allowed_hosts: list[str], *, is_prod: bool) -> RedirectPolicy:
        return cls(
            allowed_hosts=frozenset(host.strip().lower() for host in allowed_hosts),
            allow_loopback_http=not is_prod,
        )

    def redirect_url(self, url: str, *, field: str) -> str:
        """`url` when a browser may be sent there; BAD_USER_INPUT naming `field` otherwise."""
        parsed = _parsed(url, field)
        host = parsed.hostname
        if host not in self.allowed_hosts:
            raise BadUserInput(f"{field} must point at an allowed host, not {host!r}.")
        if parsed.protocol == "https:":
            return url
        if parsed.protocol == "http:" and self.allow_loopback_http and host in LOOPBACK_HOSTS:
            return url
        raise BadUserInput(f"{field} must be an https:// URL.")


def https_asset_url(url: str, *, field: str) -> str:
    """An image or similar the page loads from any host, but never over plain http."""
    if _parsed(url, field).protocol != "https:":
        raise BadUserInput(f"{field} must be an https:// URL.")
    return url


def _parsed(url: str, field: str) -> ada_url.URL:
    """`url` as a browser reads it, when that is exactly as written and safe to embed."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise BadUserInput(f"{field} must be an absolute URL of at most {MAX_URL_LENGTH} chars.")
    written = url.replace(SESSION_ID_TEMPLATE, _TEMPLATE_STAND_IN)
    for char in written:
        problem = _unsafe(char)
        if problem is not None:
            raise BadUserInput(f"{field} must not contain {problem}; percent-encode it.")
    try:
        parsed = ada_url.URL(written)
    except ValueError:
        raise BadUserInput(f"{field} is not a valid URL.") from None
    if parsed.protocol not in {"http:", "https:"}:
        raise BadUserInput(f"{field} must be an absolute https:// URL.")
    if parsed.username or parsed.password:
        raise BadUserInput(f"{field} must not contain user information.")
    if not _reads_back_unchanged(written, parsed):
        raise BadUserInput(
            f"{field} must be written as browsers read it: without a default port, dot "
            "segments, empty user information or a numeric host shorthand."
        )
    return parsed


def _unsafe(char: str) -> str | None:
    if char.isspace():
        return "spaces or other whitespace"
    if not " " < char < "\x7f":
        code = ord(char)
        kind = "control characters" if code < 0x20 or code == 0x7F else "non-ASCII characters"
        return f"{kind} (U+{code:04X})"
    if char in ATTRIBUTE_BREAKERS:
        return f"the character {char}"
    return None


def _reads_back_unchanged(written: str, parsed: ada_url.URL) -> bool:
    """Whether the browser's form of the URL is `written`, up to what never changes a request:
    the case of the scheme and host, and the root path after a bare host."""
    origin = parsed.origin
    expected = written + "/" if written.lower() == origin else written
    return (
        expected[: len(origin)].lower() == origin
        and expected[len(origin) :] == parsed.href[len(origin) :]
    )
