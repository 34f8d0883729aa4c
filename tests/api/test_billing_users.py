"""The billing users kept in memory once they have a Stripe customer (services.users)."""

from __future__ import annotations

import pytest

import services.users
from services.auth import Principal
from services.models import User
from services.users import BillingUsers
from tests.api.conftest import user_with_customer
from tests.support import ManualClock


@pytest.fixture
def user_reads(monkeypatch, database) -> list[str]:
    """The subjects whose user row was read (or created), in order."""
    reads: list[str] = []
    original = services.users.ensure_billing_user

    async def counting(principal: Principal) -> services.users.BillingUser:
        reads.append(principal.subject)
        return await original(principal)

    monkeypatch.setattr(services.users, "ensure_billing_user", counting)
    return reads


def caller(subject: str, email: str | None = None) -> Principal:
    return Principal(subject=subject, email=email)


async def test_a_billing_user_with_a_customer_is_read_once(user_reads):
    await user_with_customer("user-1", "cus_1")
    users = BillingUsers()

    first = await users.ensure(caller("user-1"))
    again = await users.ensure(caller("user-1"))

    assert again == first
    assert first.customer_id == "cus_1"
    assert user_reads == ["user-1"]


async def test_a_billing_user_without_a_customer_is_read_every_time_so_a_new_link_shows(user_reads):
    users = BillingUsers()
    assert (await users.ensure(caller("user-1"))).customer_id is None

    await User.filter(external_id="user-1").update(stripe_customer_id="cus_1")

    assert (await users.ensure(caller("user-1"))).customer_id == "cus_1"
    assert user_reads == ["user-1", "user-1"]


async def test_a_new_email_in_the_token_is_stored_although_the_user_is_cached(user_reads):
    await user_with_customer("user-1", "cus_1")
    users = BillingUsers()
    await users.ensure(caller("user-1", "old@example.com"))

    user = await users.ensure(caller("user-1", "new@example.com"))

    assert user.email == "new@example.com"
    assert (await User.get(external_id="user-1")).email == "new@example.com"
    assert (await users.ensure(caller("user-1", "new@example.com"))) == user
    assert user_reads == ["user-1", "user-1"]


async def test_a_token_without_an_email_keeps_the_cached_email(user_reads):
    await user_with_customer("user-1", "cus_1")
    users = BillingUsers()
    await users.ensure(caller("user-1", "me@example.com"))

    user = await users.ensure(caller("user-1"))

    assert user.email == "me@example.com"
    assert user_reads == ["user-1"]


async def test_a_full_cache_forgets_its_least_recent_user(user_reads):
    await user_with_customer("user-1", "cus_1")
    await user_with_customer("user-2", "cus_2")
    users = BillingUsers(max_size=1)
    await users.ensure(caller("user-1"))
    await users.ensure(caller("user-2"))

    await users.ensure(caller("user-2"))
    await users.ensure(caller("user-1"))

    assert user_reads == ["user-1", "user-2", "user-1"]


async def test_an_email_another_instance_stored_shows_once_the_cached_account_is_old(user_reads):
    await user_with_customer("user-1", "cus_1")
    clock = ManualClock()
    users = BillingUsers(max_age=60, clock=clock)
    await users.ensure(caller("user-1", "old@example.com"))
    await User.filter(external_id="user-1").update(email="new@example.com")

    clock.now += 59
    assert (await users.ensure(caller("user-1"))).email == "old@example.com"
    clock.now += 1
    assert (await users.ensure(caller("user-1"))).email == "new@example.com"
    assert user_reads == ["user-1", "user-1"]
