"""`GET /metrics`: every metric in the Prometheus text format, for a scraper.

Served only when the settings turn metrics on; when METRICS_TOKEN is set, only to a request
that carries it as a bearer token (prod serves metrics only so). The counts by operation,
endpoint and event type tell an outsider how the service is used and by how many.
"""

from __future__ import annotations

import hmac

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from billing_portal.settings import Settings
from services.metrics import MEDIA_TYPE, Metrics

METRICS_PATH = "/metrics"


def _carries(request: Request, token: str) -> bool:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    # Compared in constant time, so the answer's timing does not spell the token out.
    matches = hmac.compare_digest(credentials.strip().encode(), token.encode())
    return scheme.lower() == "bearer" and matches


def metrics_routes(settings: Settings, metrics: Metrics) -> list[BaseRoute]:
    """The scrape route, or none when metrics are off."""
    if not settings.serves_metrics:
        return []
    token = settings.metrics_token

    async def scrape(request: Request) -> Response:
        if token is not None and not _carries(request, token):
            return PlainTextResponse(
                "Send METRICS_TOKEN as a bearer token.",
                status_code=401,
                headers={"www-authenticate": "Bearer"},
            )
        return Response(await metrics.scrape(), media_type=MEDIA_TYPE)

    return [Route(METRICS_PATH, scrape, methods=["GET"])]
