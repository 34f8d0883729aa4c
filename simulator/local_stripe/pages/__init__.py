"""The local Stripe's hosted pages: Checkout and the Customer Portal, as HTML a browser (or a
person with a keyboard, or a phone) can click through; and embedded Checkout, the same Checkout
page in a frame of the app's page, with a stand-in for the Stripe.js that mounts it.

Each page reads the local Stripe's state and each button calls one of its public actions, so a
click does exactly what a scripted journey does and sends the same webhooks. Pages are rendered
on the server; every form posts, then redirects (post-redirect-get). No script runs on them,
but for the embedded Checkout frame's one script, which talks to the app's page.

    checkout.py     the Checkout page of a Checkout Session, hosted or embedded
    stripe_js.py    the stand-in Stripe.js (embedded Checkout only), at /v3/stripe.js
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
from simulator.local_stripe.pages.stripe_js import stripe_js_routes


def routes(local: LocalStripe) -> list[BaseRoute]:
    """Checkout at /checkout/{id} (embedded: /embedded-checkout/{client secret}), the portal at
    /portal/{id}, the stand-in Stripe.js, their stylesheet and the frame's script under
    STATIC_PATH; each page answers from `local` and acts through it."""
    static = StaticFiles(directory=Path(__file__).parent / "static")
    return [
        *CheckoutPages(local).routes(),
        *PortalPages(local).routes(),
        *stripe_js_routes(),
        Mount(STATIC_PATH, app=static, name="pages-static"),
    ]
