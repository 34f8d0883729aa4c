"""The local Stripe's hosted pages: Checkout and the Customer Portal, as HTML a browser (or a
person with a keyboard, or a phone) can click through.

Each page reads the local Stripe's state and each button calls one of its public actions, so a
click does exactly what a scripted journey does and sends the same webhooks. Pages are rendered
on the server (no script at all); every form posts, then redirects (post-redirect-get).

    checkout.py     the Checkout page of a Checkout Session
    portal.py       the Customer Portal of a portal session, and its flows (deep links)
    portal_view.py  what a portal session shows and offers, worked out for the templates
    card_form.py    the card fields, checked as Stripe's card form checks them
    notices.py      what a page says once after a post (the outcome survives the redirect)
    forms.py        reading posted forms
    rendering.py    templates (autoescaped), money and dates, the pages' security headers
"""

from __future__ import annotations

from pathlib import Path

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from simulator.local_stripe.local import LocalStripe
from simulator.local_stripe.pages.checkout import CheckoutPages
from simulator.local_stripe.pages.portal import PortalPages
from simulator.local_stripe.pages.rendering import STATIC_PATH


def routes(local: LocalStripe) -> list[BaseRoute]:
    """Checkout at /checkout/{id}, the portal at /portal/{id}, their stylesheet under
    STATIC_PATH; each page answers from `local` and acts through it."""
    static = StaticFiles(directory=Path(__file__).parent / "static")
    return [
        *CheckoutPages(local).routes(),
        *PortalPages(local).routes(),
        Mount(STATIC_PATH, app=static, name="pages-static"),
    ]
