"""The demo's routes: its static page, what the page needs to know (the demo users, the Stripe it
runs against, the portal block to show), and its sign-in stand-in.

`POST /demo/token` gives a browser a token for a demo user of its choice, exactly what
`billing-portal token` gives a terminal: the app mounts these routes only outside prod. It takes
only `application/json`, a type a page on another site cannot post without a CORS preflight,
which CORS_ALLOW_ORIGINS then refuses.
"""

from __future__ import annotations

import json
from pathlib import Path

import ada_url
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from billing_portal.demo.seed import DemoSeed
from billing_portal.demo.users import DEMO_USERS, DEMO_USERS_BY_ID
from billing_portal.settings import Settings
from services.container import Services
from services.errors import ServiceError
from services.urls import LOOPBACK_HOSTS
from simulator.toolkit.tokens import TOKEN_TTL_SECONDS, TokenMinter

STATIC_DIR = Path(__file__).parent / "static"
MAX_TOKEN_REQUEST_BYTES = 1024


def _refusal(message: str, status: int) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def stripe_is_local(api_base: str) -> bool:
    """Whether the service talks to a Stripe stand-in on this machine (stripe-mock or the local
    Stripe), which the page says plainly, rather than to Stripe itself."""
    return ada_url.URL(api_base).hostname in LOOPBACK_HOSTS


def demo_routes(settings: Settings, services: Services) -> list[BaseRoute]:
    minter = TokenMinter(settings.jwt_secret, settings.auth_jwt_audience, settings.auth_jwt_issuer)
    seed = DemoSeed(services)
    page_config = {
        "users": [user.public() for user in DEMO_USERS],
        "stripe": {"local": stripe_is_local(settings.api_base), "apiBase": settings.api_base},
    }

    async def demo_config(request: Request) -> Response:
        """The page's configuration, as a host app would build it into its pages. The portal
        block returns to this page at the address it was asked for."""
        try:
            block_id, problem = await seed.portal_block_id(f"{request.base_url}demo/"), None
        except ServiceError as error:
            block_id, problem = None, f"The demo portal block could not be saved: {error}"
        return JSONResponse(
            {**page_config, "portalBlockId": block_id, "portalBlockProblem": problem}
        )

    async def demo_token(request: Request) -> Response:
        media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media_type != "application/json":
            return _refusal('Send {"user": "<id>"} as application/json.', 415)
        try:
            payload = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _refusal("The body is not valid JSON.", 400)
        chosen = payload.get("user") if isinstance(payload, dict) else None
        user = DEMO_USERS_BY_ID.get(chosen) if isinstance(chosen, str) else None
        if user is None:
            return _refusal("No demo user has this id.", 404)
        token = minter.mint(user.subject, email=user.email, admin=user.admin)
        return JSONResponse(
            {"token": token, "expiresIn": TOKEN_TTL_SECONDS, "user": user.public()},
            headers={"cache-control": "no-store"},
        )

    return [
        Route("/demo/config", demo_config, methods=["GET"]),
        Route("/demo/token", demo_token, methods=["POST"], max_body_size=MAX_TOKEN_REQUEST_BYTES),
        Mount("/demo", StaticFiles(directory=STATIC_DIR, html=True)),
    ]
