"""`/v3/stripe.js`: a stand-in for Stripe.js's embedded Checkout, for local development.

It is not Stripe.js. It defines `window.Stripe`, whose object offers embedded Checkout only
(`createEmbeddedCheckoutPage`, and `initEmbeddedCheckout`, its name before Stripe.js's dahlia
release): mounting one frames the local Stripe's Checkout page of the session the client secret
names, and once paid the browser goes to the session's return URL, as Stripe.js sends it. An app
in development loads it with a script tag before its own code, and `loadStripe` from
`@stripe/stripe-js` then takes the `window.Stripe` it finds instead of fetching Stripe.js.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

STRIPE_JS_PATH = "/v3/stripe.js"
SCRIPT = Path(__file__).parent / "scripts" / "stripe.js"
HEADERS = {
    # Any app's page may load it, whatever its own cross-origin policy.
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    "X-Content-Type-Options": "nosniff",
    # Served from the working tree: a page always gets the script as it is now.
    "Cache-Control": "no-cache",
}


async def _stripe_js(_: Request) -> FileResponse:
    return FileResponse(SCRIPT, media_type="text/javascript", headers=HEADERS)


def stripe_js_routes() -> list[Route]:
    return [Route(STRIPE_JS_PATH, _stripe_js, methods=["GET"])]
