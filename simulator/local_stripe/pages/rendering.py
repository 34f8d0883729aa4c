"""HTML responses of the hosted pages: templates with every value escaped, and the page headers.

Autoescaping is on for every template, so data (a product's name, a URL, a decline message)
can never become markup; links additionally go through `href`, since an escaped
`javascript:` URL is still a script when clicked.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.responses import HTMLResponse, RedirectResponse

from simulator.local_stripe.pages.card_form import TEST_CARD_LIST

TEMPLATES = Path(__file__).parent / "templates"
# Where routes() serves static/ (the stylesheet); templates link to it.
STATIC_PATH = "/pages-static"

# Stripe's zero-decimal currencies: amounts are in whole units, not cents.
ZERO_DECIMAL = frozenset(
    [
        "bif",
        "clp",
        "djf",
        "gnf",
        "jpy",
        "kmf",
        "krw",
        "mga",
        "pyg",
        "rwf",
        "ugx",
        "vnd",
        "vuv",
        "xaf",
        "xof",
        "xpf",
    ]
)
SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}
SAFE_SCHEMES = frozenset({"http", "https"})

# No script runs on these pages; a form may post here and be redirected to the app's URLs.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Every page shows live state: a page from the cache would show a plan already changed.
    "Cache-Control": "no-store",
}
# The embedded Checkout page lives in a frame of any app's page, and runs one script of its
# own: it tells the stand-in Stripe.js in the app's page its height, and when it is done.
EMBEDDED_SECURITY_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors http: https:"
    ),
}


def money(amount: int, currency: str) -> str:
    """`amount` in the currency's smallest unit, as a person reads it ("$9.00", "1,000 JPY")."""
    code = currency.lower()
    sign = "-" if amount < 0 else ""
    units = abs(amount) if code in ZERO_DECIMAL else abs(amount) / 100
    number = f"{units:,.0f}" if code in ZERO_DECIMAL else f"{units:,.2f}"
    symbol = SYMBOLS.get(code)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {code.upper()}"


def date(timestamp: int) -> str:
    """A Stripe timestamp as a day ("1 December 2026"), in UTC as Stripe's emails show it."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f"{moment.day} {moment:%B %Y}"


def href(url: str | None) -> str | None:
    """`url` if a browser may follow it as a plain link (http or https), otherwise None."""
    if not url:
        return None
    return url if urlsplit(url).scheme.lower() in SAFE_SCHEMES else None


def host(url: str) -> str:
    """The host a link leads to, as a person recognises the site ("127.0.0.1:8000")."""
    return urlsplit(url).netloc


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(money=money, date=date, href=href, host=host)
    environment.globals.update(static=STATIC_PATH, test_card_numbers=TEST_CARD_LIST)
    return environment


ENVIRONMENT = _environment()


def page(
    template: str, *, status_code: int = 200, embedded: bool = False, **context: Any
) -> HTMLResponse:
    """The page `template` rendered with `context`; `embedded` for the frame of an embedded
    Checkout (templates see the flag too)."""
    html = ENVIRONMENT.get_template(template).render(embedded=embedded, **context)
    headers = EMBEDDED_SECURITY_HEADERS if embedded else SECURITY_HEADERS
    return HTMLResponse(html, status_code=status_code, headers=headers)


def see_other(url: str) -> RedirectResponse:
    """The answer to a POST: the browser GETs `url` next (post-redirect-get)."""
    return RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})


def not_found(what: str, *, embedded: bool = False) -> HTMLResponse:
    return page("not_found.html", status_code=404, embedded=embedded, what=what)
