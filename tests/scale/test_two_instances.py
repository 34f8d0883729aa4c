"""Two instances of the app on one PostgreSQL database (two bootstraps, as two processes have):
the per-user session limit holds across both, and each one's account cache stays right about
what the other changes."""

from __future__ import annotations

import asyncio

import pytest

from billing_portal.bootstrap import bootstrap
from services.models import User
from services.users import MAX_CACHED_SECONDS
from tests.api.conftest import user_with_customer
from tests.api.test_checkout import VIEWER_CUSTOMER, checkout
from tests.api.test_portal_sessions import portal
from tests.support import ManualClock, app_client, error_codes, graphql

pytestmark = pytest.mark.postgres_only

RETURN_URL = "https://localhost/account"
VIEWER_EMAIL = "query { viewer { email } }"


async def test_the_session_limit_holds_across_both_instances(settings, token_for):
    await user_with_customer("user-1", "cus_1")
    await user_with_customer("user-2", "cus_2")
    limited = settings.model_copy(update={"rate_limit_sessions_per_minute": 3})
    async with app_client(limited) as first, app_client(limited) as second:
        token = token_for("user-1")
        bodies = [
            await portal(instance, token, returnUrl=RETURN_URL) for instance in (first, second) * 3
        ]
        other_user = await portal(second, token_for("user-2"), returnUrl=RETURN_URL)

    assert [error_codes(body) for body in bodies] == [[], [], [], *[["RATE_LIMITED"]] * 3]
    assert error_codes(other_user) == []


async def test_sessions_asked_at_once_on_both_instances_stay_within_the_limit(settings, token_for):
    await user_with_customer("user-1", "cus_1")
    limited = settings.model_copy(update={"rate_limit_sessions_per_minute": 4})
    async with app_client(limited) as first, app_client(limited) as second:
        token = token_for("user-1")
        bodies = await asyncio.gather(
            *(portal(instance, token, returnUrl=RETURN_URL) for instance in (first, second) * 6)
        )

    assert sorted(error_codes(body) for body in bodies) == [[]] * 4 + [["RATE_LIMITED"]] * 8


async def test_a_customer_linked_through_one_instance_shows_on_the_other_at_once(
    settings, token_for, catalog
):
    token = token_for("user-1")
    async with app_client(settings) as first, app_client(settings) as second:
        before = await graphql(second, VIEWER_CUSTOMER, token=token)
        assert error_codes(await checkout(first, token)) == []

        after = await graphql(second, VIEWER_CUSTOMER, token=token)

    assert before["data"]["viewer"]["customerId"] is None
    stored = (await User.get(external_id="user-1")).stripe_customer_id
    assert after["data"]["viewer"]["customerId"] == stored is not None


async def test_an_email_stored_through_one_instance_shows_on_the_other_within_the_cache_age(
    settings, token_for
):
    await user_with_customer("user-1", "cus_1")
    clock = ManualClock()
    first, second = (bootstrap(settings, clock=clock) for _ in range(2))
    async with (
        app_client(settings, services=first) as one,
        app_client(settings, services=second) as other,
    ):
        await email_seen(other, token_for("user-1", email="old@example.com"))
        await email_seen(one, token_for("user-1", email="new@example.com"))

        without_email = token_for("user-1")
        stale = await email_seen(other, without_email)
        clock.now += MAX_CACHED_SECONDS
        fresh = await email_seen(other, without_email)

    assert (stale, fresh) == ("old@example.com", "new@example.com")


async def email_seen(client, token) -> str | None:
    body = await graphql(client, VIEWER_EMAIL, token=token)
    assert error_codes(body) == [], body
    email: str | None = body["data"]["viewer"]["email"]
    return email
