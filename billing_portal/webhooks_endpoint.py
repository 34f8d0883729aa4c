"""`POST /webhooks/stripe`: the HTTP face of services.webhooks, with the contract's status codes.

200 for an event processed, already seen, ignored or kept as failed (it is stored: replaying it
is our job, not Stripe's); 400 for anything that is not a verified Stripe event; 503 only when
the event could not be stored, so that Stripe delivers it again. The 1 MiB limit (413) is the
app's BodyLimitMiddleware.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.webhooks import EventNotStored, WebhookRejected, WebhookService


async def stripe_webhook(request: Request) -> Response:
    webhooks: WebhookService = request.app.state.services.webhooks
    payload = await request.body()
    try:
        outcome = await webhooks.receive(payload, request.headers.get("stripe-signature"))
    except WebhookRejected as rejected:
        return JSONResponse({"error": rejected.message}, status_code=400)
    except EventNotStored:
        return JSONResponse({"error": "the event could not be stored; retry"}, status_code=503)
    return JSONResponse({"status": outcome.value})
