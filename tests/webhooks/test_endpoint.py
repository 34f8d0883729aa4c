"""POST /webhooks/stripe answers with the status codes the README documents."""

from __future__ import annotations

import json
import time

from billing_portal.app import MAX_BODY_BYTES
from services.models import StripeEvent
from simulator.toolkit.signing import signature_header
from tests.webhooks.support import BASE_TIME, customer, deliver, event

OTHER_SECRET = "whsec_someone_else"


def _body() -> str:
    return json.dumps(event("customer.created", customer("cus_sig"), created=BASE_TIME))


async def _post(client, payload: str | bytes, signature: str | None):
    headers = {"content-type": "application/json"}
    if signature is not None:
        headers["stripe-signature"] = signature
    return await client.post("/webhooks/stripe", content=payload, headers=headers)


async def test_a_signed_event_is_processed_and_stored(client, settings):
    response = await deliver(client, _body(), settings.webhook_secret)

    assert response.status_code == 200
    assert response.json() == {"status": "processed"}
    assert await StripeEvent.filter(status="processed").count() == 1


async def test_a_missing_signature_is_rejected(client):
    response = await _post(client, _body(), None)

    assert response.status_code == 400
    assert await StripeEvent.all().count() == 0


async def test_a_signature_made_with_another_secret_is_rejected(client):
    payload = _body()

    response = await _post(client, payload, signature_header(payload, OTHER_SECRET))

    assert response.status_code == 400
    assert await StripeEvent.all().count() == 0


async def test_a_tampered_body_is_rejected(client, settings):
    payload = _body()
    signature = signature_header(payload, settings.webhook_secret)

    response = await _post(client, payload.replace("cus_sig", "cus_evil"), signature)

    assert response.status_code == 400
    assert await StripeEvent.all().count() == 0


async def test_a_timestamp_older_than_the_tolerance_is_rejected(client, settings):
    payload = _body()
    stale = int(time.time()) - 301

    response = await _post(
        client, payload, signature_header(payload, settings.webhook_secret, timestamp=stale)
    )

    assert response.status_code == 400
    assert await StripeEvent.all().count() == 0


async def test_a_timestamp_far_in_the_future_is_rejected(client, settings):
    payload = _body()
    future = int(time.time()) + 3600

    response = await _post(
        client, payload, signature_header(payload, settings.webhook_secret, timestamp=future)
    )

    assert response.status_code == 400
    assert "future" in response.json()["error"]
    assert await StripeEvent.all().count() == 0


async def test_a_garbage_signature_header_is_rejected(client):
    for garbage in ("garbage", "t=abc,v1=00", "v1=deadbeef", "t=1,t=2,v1=00", ","):
        response = await _post(client, _body(), garbage)

        assert response.status_code == 400, garbage
    assert await StripeEvent.all().count() == 0


async def test_several_signatures_during_a_secret_rotation_are_accepted(client, settings):
    payload = _body()
    signature = signature_header(payload, OTHER_SECRET, settings.webhook_secret)

    response = await _post(client, payload, signature)

    assert response.status_code == 200
    assert await StripeEvent.all().count() == 1


async def test_a_body_over_one_mebibyte_is_refused_with_413(client, settings):
    payload = json.dumps({"padding": "x" * MAX_BODY_BYTES})

    response = await _post(client, payload, signature_header(payload, settings.webhook_secret))

    assert response.status_code == 413
    assert await StripeEvent.all().count() == 0


async def test_a_signed_body_that_is_not_json_is_rejected(client, settings):
    payload = '{"id": "evt_1", "type": '

    response = await _post(client, payload, signature_header(payload, settings.webhook_secret))

    assert response.status_code == 400
    assert await StripeEvent.all().count() == 0


async def test_signed_json_that_is_not_an_event_is_rejected(client, settings):
    not_events = [
        "[1, 2]",
        '"event"',
        json.dumps({"object": "event", "id": "evt_1", "type": "customer.created"}),
        json.dumps({"object": "customer", "id": "cus_1"}),
        json.dumps({**event("customer.created", customer("cus_x"), created=1), "created": "soon"}),
    ]
    for payload in not_events:
        response = await _post(client, payload, signature_header(payload, settings.webhook_secret))

        assert response.status_code == 400, payload
    assert await StripeEvent.all().count() == 0


async def test_an_unknown_event_type_is_stored_as_ignored_and_acknowledged(client, settings):
    body = event("radar.early_fraud_warning.created", {"id": "issfr_1"}, created=BASE_TIME)

    response = await deliver(client, body, settings.webhook_secret)

    assert response.status_code == 200
    assert response.json() == {"status": "ignored"}
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts, stored.payload) == ("ignored", 1, body)
