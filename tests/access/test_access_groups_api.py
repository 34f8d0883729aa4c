"""Admins define access groups over GraphQL; a viewer reads the keys of the groups they are in."""

from __future__ import annotations

import pytest
from tortoise import connections

from services.access_groups import MAX_KEY_LENGTH, MAX_PRODUCTS
from tests.access.conftest import linked_user
from tests.access.support import ACCESS_GROUPS, BASIC, EBOOK, PRO, SAVE_GROUP, event, fresh
from tests.access.support import payment_session as session
from tests.support import error_codes, graphql

LIST_GROUPS = "query { accessGroups { key name condition productIds } }"
DELETE_GROUP = "mutation ($key: String!) { deleteAccessGroup(key: $key) }"
READERS = {"key": "readers", "name": "Readers", "condition": "IS_ONE_OF", "productIds": [EBOOK]}


async def _save(client, token, **changes):
    return await graphql(client, SAVE_GROUP, {"input": {**READERS, **changes}}, token=token)


async def test_an_admin_saves_a_group_and_lists_it(client, admin_token, catalog):
    saved = await _save(client, admin_token)

    assert saved == {"data": {"saveAccessGroup": READERS}}
    listed = await graphql(client, LIST_GROUPS, token=admin_token)
    assert listed == {"data": {"accessGroups": [READERS]}}


async def test_saving_under_an_existing_key_replaces_the_group(client, admin_token, catalog):
    await _save(client, admin_token)

    await _save(
        client, admin_token, name="Members", condition="HAS_ALL_OF", productIds=[PRO, EBOOK]
    )

    listed = await graphql(client, LIST_GROUPS, token=admin_token)
    replaced = {**READERS, "name": "Members", "condition": "HAS_ALL_OF", "productIds": [PRO, EBOOK]}
    assert listed == {"data": {"accessGroups": [replaced]}}


async def test_groups_are_listed_by_key(client, admin_token, catalog):
    for key in ("zeta", "alpha", "mid"):
        await _save(client, admin_token, key=key)

    listed = await graphql(client, LIST_GROUPS, token=admin_token)

    assert [group["key"] for group in listed["data"]["accessGroups"]] == ["alpha", "mid", "zeta"]


async def test_a_product_named_twice_is_kept_once(client, admin_token, catalog):
    saved = await _save(client, admin_token, productIds=[BASIC, EBOOK, BASIC])

    assert saved["data"]["saveAccessGroup"]["productIds"] == [BASIC, EBOOK]


async def test_a_product_the_catalog_lacks_is_refused(client, admin_token, catalog):
    refused = await _save(client, admin_token, productIds=[EBOOK, "prod_unknown"])

    assert error_codes(refused) == ["BAD_USER_INPUT"]
    assert "prod_unknown" in refused["errors"][0]["message"]
    assert (await graphql(client, LIST_GROUPS, token=admin_token))["data"]["accessGroups"] == []


@pytest.mark.parametrize(
    "key",
    [
        "Readers",
        "two words",
        "double--dash",
        "-leading",
        "trailing-",
        "",
        "a" * (MAX_KEY_LENGTH + 1),
    ],
)
async def test_a_key_that_is_not_a_short_slug_is_refused(client, admin_token, catalog, key):
    assert error_codes(await _save(client, admin_token, key=key)) == ["BAD_USER_INPUT"]


async def test_a_key_of_the_longest_length_is_accepted(client, admin_token, catalog):
    key = "a" * MAX_KEY_LENGTH

    assert (await _save(client, admin_token, key=key))["data"]["saveAccessGroup"]["key"] == key


@pytest.mark.parametrize(
    "product_ids", [[], [f"prod_{n}" for n in range(MAX_PRODUCTS + 1)], [""]], ids=len
)
async def test_a_group_needs_between_one_and_fifty_products(
    client, admin_token, catalog, product_ids
):
    assert error_codes(await _save(client, admin_token, productIds=product_ids)) == [
        "BAD_USER_INPUT"
    ]


@pytest.mark.parametrize("name", ["", "   ", "Read\u202eers", "x" * 201])
async def test_a_blank_unsafe_or_long_name_is_refused(client, admin_token, catalog, name):
    assert error_codes(await _save(client, admin_token, name=name)) == ["BAD_USER_INPUT"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (SAVE_GROUP, {"input": READERS}),
        (DELETE_GROUP, {"key": "readers"}),
        (LIST_GROUPS, None),
    ],
    ids=["save", "delete", "list"],
)
async def test_only_admins_manage_groups(client, token_for, catalog, query, variables):
    customer = await graphql(client, query, variables, token=token_for("user-1"))
    anonymous = await graphql(client, query, variables)

    assert error_codes(customer) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]


async def test_deleting_a_group_removes_it(client, admin_token, catalog):
    await _save(client, admin_token)

    deleted = await graphql(client, DELETE_GROUP, {"key": "readers"}, token=admin_token)

    assert deleted == {"data": {"deleteAccessGroup": True}}
    assert (await graphql(client, LIST_GROUPS, token=admin_token))["data"]["accessGroups"] == []


async def test_deleting_a_group_that_does_not_exist_is_not_found(client, admin_token, catalog):
    missing = await graphql(client, DELETE_GROUP, {"key": "readers"}, token=admin_token)

    assert error_codes(missing) == ["NOT_FOUND"]


async def test_a_viewer_without_a_purchase_is_in_the_is_none_of_groups(client, token_for, groups):
    answer = await graphql(client, ACCESS_GROUPS, token=token_for("newcomer"))

    assert answer == {"data": {"viewer": {"accessGroups": ["free"]}}}


async def test_a_deleted_group_no_longer_holds_its_viewers(client, token_for, admin_token, groups):
    await graphql(client, DELETE_GROUP, {"key": "free"}, token=admin_token)

    answer = await graphql(client, ACCESS_GROUPS, token=token_for("newcomer"))

    assert answer == {"data": {"viewer": {"accessGroups": []}}}


class QueryCounter:
    """Counts the statements every database connection runs while it is installed."""

    METHODS = ("execute_query", "execute_query_dict", "execute_insert", "execute_many")

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for connection in connections.all():
            for name in self.METHODS:
                monkeypatch.setattr(connection, name, self._counting(getattr(connection, name)))

    def _counting(self, method):
        async def counted(*args, **kwargs):
            self.count += 1
            return await method(*args, **kwargs)

        return counted


async def _statements_for_groups(client, token, monkeypatch) -> int:
    await graphql(client, ACCESS_GROUPS, token=token)  # the first request links the user
    with monkeypatch.context() as patch:
        counter = QueryCounter(patch)
        answer = await graphql(client, ACCESS_GROUPS, token=token)
    assert "errors" not in answer
    return counter.count


async def test_a_viewers_groups_cost_the_same_queries_however_many_groups_exist(
    client, token_for, admin_token, catalog, deliver, stripe_gateway, monkeypatch
):
    customer, user = fresh("cus"), fresh("user")
    await linked_user(user, customer)
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [EBOOK])
    await deliver([event("checkout.session.completed", session(checkout, customer))])
    token = token_for(user)
    await _save(client, admin_token, key="group-0")
    with_one = await _statements_for_groups(client, token, monkeypatch)

    for number in range(1, 40):
        await _save(client, admin_token, key=f"group-{number}")
    with_forty = await _statements_for_groups(client, token, monkeypatch)

    assert 0 < with_forty == with_one
    answer = await graphql(client, ACCESS_GROUPS, token=token)
    assert len(answer["data"]["viewer"]["accessGroups"]) == 40
