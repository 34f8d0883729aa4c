"""The in-memory accounts of callers who already have a Stripe customer (services.users)."""

from __future__ import annotations

import pytest

import services.users
from services.auth import Principal
from services.models import User
from services.users import Accounts
from tests.api.conftest import user_with_customer


@pytest.fixture
def user_reads(monkeypatch, database) -> list[str]:
    """The subjects whose user row was read (or created), in order."""
    reads: list[str] = []
    original = services.users.ensure_account

    async def counting(principal: Principal) -> services.users.Account:
        reads.append(principal.subject)
        return await original(principal)

    monkeypatch.setattr(services.users, "ensure_account", counting)
    return reads


def caller(subject: str, email: str | None = None) -> Principal:
    return Principal(subject=subject, email=email, role=None)


async def test_an_account_with_a_customer_is_read_once(user_reads):
    await user_with_customer("user-1", "cus_1")
    accounts = Accounts()

    first = await accounts.ensure(caller("user-1"))
    again = await accounts.ensure(caller("user-1"))

    assert again == first
    assert first.customer_id == "cus_1"
    assert user_reads == ["user-1"]


async def test_an_account_without_a_customer_is_read_every_time_so_a_new_link_shows(user_reads):
    accounts = Accounts()
    assert (await accounts.ensure(caller("user-1"))).customer_id is None

    await User.filter(external_id="user-1").update(stripe_customer_id="cus_1")

    assert (await accounts.ensure(caller("user-1"))).customer_id == "cus_1"
    assert user_reads == ["user-1", "user-1"]


async def test_a_new_email_in_the_token_is_stored_although_the_account_is_cached(user_reads):
    await user_with_customer("user-1", "cus_1")
    accounts = Accounts()
    await accounts.ensure(caller("user-1", "old@example.com"))

    account = await accounts.ensure(caller("user-1", "new@example.com"))

    assert account.email == "new@example.com"
    assert (await User.get(external_id="user-1")).email == "new@example.com"
    assert (await accounts.ensure(caller("user-1", "new@example.com"))) == account
    assert user_reads == ["user-1", "user-1"]


async def test_a_token_without_an_email_keeps_the_cached_email(user_reads):
    await user_with_customer("user-1", "cus_1")
    accounts = Accounts()
    await accounts.ensure(caller("user-1", "me@example.com"))

    account = await accounts.ensure(caller("user-1"))

    assert account.email == "me@example.com"
    assert user_reads == ["user-1"]


async def test_a_full_cache_forgets_its_least_recent_account(user_reads):
    await user_with_customer("user-1", "cus_1")
    await user_with_customer("user-2", "cus_2")
    accounts = Accounts(max_size=1)
    await accounts.ensure(caller("user-1"))
    await accounts.ensure(caller("user-2"))

    await accounts.ensure(caller("user-2"))
    await accounts.ensure(caller("user-1"))

    assert user_reads == ["user-1", "user-2", "user-1"]
