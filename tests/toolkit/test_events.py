"""Event envelopes are whole Stripe events, signed so that Stripe's own library verifies them."""

from __future__ import annotations

from typing import Any

import stripe

from simulator.toolkit.events import event_body, event_envelope
from simulator.toolkit.signing import signature_header, webhook_headers
from simulator.toolkit.versions import STRIPE_MOCK_API_VERSION

SECRET = "whsec_toolkit_test"
ENVELOPE_KEYS = {
    "id",
    "object",
    "api_version",
    "created",
    "data",
    "livemode",
    "pending_webhooks",
    "request",
    "type",
}


def _event() -> dict[str, Any]:
    return event_envelope("evt_1", "customer.updated", {"id": "cus_1", "object": "customer"}, 1)


def test_an_envelope_carries_every_field_stripe_sends():
    event = _event()

    assert set(event) == ENVELOPE_KEYS
    assert event["object"] == "event"
    assert event["livemode"] is False
    assert event["data"] == {"object": {"id": "cus_1", "object": "customer"}}


def test_an_envelope_is_of_the_sdks_api_version_unless_told_otherwise():
    told = event_envelope("evt_2", "price.created", {}, 1, api_version=STRIPE_MOCK_API_VERSION)

    assert _event()["api_version"] == stripe.api_version
    assert told["api_version"] == STRIPE_MOCK_API_VERSION


def test_previous_attributes_go_beside_the_object():
    event = event_envelope("evt_3", "customer.updated", {"id": "cus_1"}, 1, {"email": None})

    assert event["data"]["previous_attributes"] == {"email": None}


def test_signatures_verify_with_stripes_own_library():
    body = event_body(_event())
    header = signature_header(body, SECRET, timestamp=1_800_000_000)

    assert stripe.WebhookSignature.verify_header(body.decode(), header, SECRET, tolerance=None)


def test_several_secrets_sign_under_one_timestamp_as_during_a_rotation():
    header = signature_header("{}", "whsec_old", "whsec_new", timestamp=1_800_000_000)

    stamp, *signatures = header.split(",")
    assert stamp == "t=1800000000"
    assert [signature.split("=")[0] for signature in signatures] == ["v1", "v1"]
    for secret in ("whsec_old", "whsec_new"):
        assert stripe.WebhookSignature.verify_header("{}", header, secret, tolerance=None)


def test_a_delivery_is_json_with_its_signature():
    headers = webhook_headers(b"{}", SECRET)

    assert headers["content-type"] == "application/json"
    assert headers["stripe-signature"].startswith("t=")
