"""`POST /webhooks/stripe`: the HTTP face of services.webhooks, with the README's status codes.

200 for an event processed, already seen or ignored, answered once the commit holding it is done
(deliveries that arrive together share one); 400 for anything that is not a verified Stripe
event; 503 when the event could not be stored. An event that was stored but whose handler
failed is answered 500: it is safe in the log (`billing-portal replay --failed` applies it), and the
5xx also makes Stripe deliver it again with backoff, which applies it as soon as the cause is gone.
Answering 200 there would leave the mirror wrong until someone noticed. The 1 MiB limit (413) is
Starlette's request-body limit, which billing_portal.app sets for every route.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from services.webhooks import EventNotStored, Outcome, WebhookRejected, WebhookService


async def stripe_webhook(request: Request) -> Response:
    webhooks: WebhookService = request.app.state.services.webhooks
    payload = await request.body()
    try:
        outcome = await webhooks.receive(payload, request.headers.get("stripe-signature"))
    except WebhookRejected as rejected:
        return JSONResponse({"error": rejected.message}, status_code=400)
    except EventNotStored:
        return JSONResponse({"error": "the event could not be stored; retry"}, status_code=503)
    if outcome is Outcome.FAILED:
        return JSONResponse({"status": outcome.value}, status_code=500)
    return JSONResponse({"status": outcome.value})
