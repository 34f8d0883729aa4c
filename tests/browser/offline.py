"""The browser's network is the loopback interface only, as on a developer machine offline.

Every request to another host is aborted and remembered, so a test can both pass offline and
assert that nothing it showed needed the internet.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Route

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname
    if host is None:
        return True  # data:, blob: and about: never leave the browser
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OfflineGuard:
    """The requests a browser context tried to send off the machine, each one refused."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    async def install(self, context: BrowserContext) -> None:
        await context.route("**/*", self._answer)

    async def _answer(self, route: Route) -> None:
        url = route.request.url
        if is_loopback(url):
            await route.fallback()
        else:
            self.blocked.append(url)
            await route.abort("internetdisconnected")
