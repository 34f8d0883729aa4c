"""The one rule for URLs a browser is sent to (success, cancel, return and block Redirect URLs).

Stripe redirects the customer's browser to these URLs, so an attacker who could choose them would
get an open redirect on a payment page. Only absolute URLs on allowed hosts pass, over https
(plain http only for a loopback host outside prod, for local development).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from services.errors import BadUserInput

MAX_URL_LENGTH = 2048
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1"})


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

    def redirect_url(self, url: str, *, field: str, https_only: bool = False) -> str:
        """`url` when a browser may be sent there; BAD_USER_INPUT naming `field` otherwise."""
        parts = _absolute(url, field)
        host = (parts.hostname or "").lower()
        if host not in self.allowed_hosts:
            raise BadUserInput(f"{field} must point at an allowed host, not {host!r}.")
        if parts.scheme == "https":
            return url
        if (
            parts.scheme == "http"
            and not https_only
            and self.allow_loopback_http
            and host in LOOPBACK_HOSTS
        ):
            return url
        raise BadUserInput(f"{field} must be an https:// URL.")


def https_asset_url(url: str, *, field: str) -> str:
    """An image or similar the page loads from any host, but never over plain http."""
    if _absolute(url, field).scheme != "https":
        raise BadUserInput(f"{field} must be an https:// URL.")
    return url


def _absolute(url: str, field: str) -> SplitResult:
    """Parse `url`, refusing what browsers and parsers read differently (the usual bypasses)."""
    if not url or len(url) > MAX_URL_LENGTH:
        raise BadUserInput(f"{field} must be an absolute URL of at most {MAX_URL_LENGTH} chars.")
    if any(char.isspace() or ord(char) < 0x20 or char == "\\" for char in url):
        raise BadUserInput(f"{field} must not contain spaces, control characters or backslashes.")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise BadUserInput(f"{field} is not a valid URL.") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise BadUserInput(f"{field} must be an absolute https:// URL.")
    if "@" in parts.netloc:
        raise BadUserInput(f"{field} must not contain user information.")
    return parts
