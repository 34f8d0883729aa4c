"""The event log: stored once, applied once, never dropped, replayed after a failure."""

from __future__ import annotations

import asyncio

from tortoise.exceptions import OperationalError

from services.models import StripeEvent, Subscription
from services.webhooks import Outcome
from services.webhooks import log as event_log
from services.webhooks.events import parse_event
from tests.webhooks import support as s


def _subscription_event(status: str = "active", *, created: int = s.BASE_TIME):
    return s.event(
        "customer.subscription.updated", s.subscription("sub_1", "cus_1", status), created=created
    )


async def test_a_duplicate_delivery_is_acknowledged_and_changes_nothing(client, settings):
    body = _subscription_event()
    await s.deliver(client, body, settings.webhook_secret)
    before = await s.mirror_state()

    response = await s.deliver(client, body, settings.webhook_secret)

    assert response.status_code == 200
    assert response.json() == {"status": "duplicate"}
    assert await s.mirror_state() == before
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts) == ("processed", 1)


async def test_a_redelivery_never_reverts_a_newer_state(client, settings):
    first = _subscription_event("past_due", created=s.BASE_TIME)
    await s.deliver(client, first, settings.webhook_secret)
    await s.deliver(
        client, _subscription_event("active", created=s.BASE_TIME + 1), settings.webhook_secret
    )

    await s.deliver(client, first, settings.webhook_secret)

    assert (await Subscription.get(id="sub_1")).status == "active"


async def test_one_event_delivered_by_ten_concurrent_requests_is_applied_once(client, settings):
    body = _subscription_event()

    responses = await asyncio.gather(
        *(s.deliver(client, body, settings.webhook_secret) for _ in range(10))
    )

    assert [response.status_code for response in responses] == [200] * 10
    statuses = sorted(response.json()["status"] for response in responses)
    assert statuses == ["duplicate"] * 9 + ["processed"]
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts) == ("processed", 1)
    assert await Subscription.all().count() == 1


async def test_an_event_whose_handling_fails_is_kept_as_failed_with_its_error(webhook_service):
    stripe_down = webhook_service(refetch=True, stripe_down=True)
    body = _subscription_event()

    outcome = await stripe_down.ingest(parse_event(body))

    assert outcome is Outcome.FAILED
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts, stored.payload) == ("failed", 1, body)
    assert "PaymentProviderUnavailable" in (stored.error or "")
    assert await Subscription.all().count() == 0


async def test_a_failed_delivery_is_stored_and_answered_500_so_stripe_delivers_it_again(
    client, app, settings, webhook_service
):
    app.state.services.webhooks = webhook_service(refetch=True, stripe_down=True)

    response = await s.deliver(client, _subscription_event(), settings.webhook_secret)

    assert response.status_code == 500
    assert response.json() == {"status": "failed"}
    assert await StripeEvent.filter(status="failed").count() == 1


async def test_an_event_that_failed_once_is_applied_when_redelivered(webhook_service):
    body = _subscription_event()
    await webhook_service(refetch=True, stripe_down=True).ingest(parse_event(body))

    outcome = await webhook_service(refetch=True).ingest(parse_event(body))

    assert outcome is Outcome.PROCESSED
    stored = await StripeEvent.get(id=body["id"])
    assert (stored.status, stored.attempts) == ("processed", 2)
    assert stored.error is None
    assert await Subscription.filter(id="sub_1").count() == 1


async def test_replaying_failed_events_applies_them_oldest_first(webhook_service):
    stripe_down = webhook_service(stripe_down=True, refetch=True)
    older = _subscription_event("past_due", created=s.BASE_TIME)
    newer = _subscription_event("active", created=s.BASE_TIME + 1)
    for body in (newer, older):
        await stripe_down.ingest(parse_event(body))

    report = await webhook_service().replay_failed()

    assert report.outcomes == {Outcome.PROCESSED: 2}
    assert report.failed == 0
    assert await StripeEvent.filter(status="processed").count() == 2
    assert (await Subscription.get(id="sub_1")).status == "active"


async def test_replaying_when_nothing_failed_does_nothing(webhook_service):
    await webhook_service().ingest(parse_event(_subscription_event()))

    report = await webhook_service().replay_failed()

    assert report.outcomes == {}


async def test_an_event_that_cannot_be_stored_is_answered_503_so_stripe_retries(
    client, settings, monkeypatch
):
    async def database_down(*_args, **_kwargs):
        raise OperationalError("database is unavailable")

    monkeypatch.setattr(event_log, "claim", database_down)
    monkeypatch.setattr(event_log, "record_failure", database_down)

    response = await s.deliver(client, _subscription_event(), settings.webhook_secret)

    assert response.status_code == 503
    assert await StripeEvent.all().count() == 0
