"""Portal blocks: admins save them, anyone reads them, and their URLs are checked."""

from __future__ import annotations

import uuid

import pytest

from services.models import PortalBlock
from tests.support import error_codes, graphql

SAVE = """
mutation ($input: PortalBlockInput!) {
  savePortalBlock(input: $input) { id title subtitle backgroundImageUrl redirectUrl }
}
"""
READ = (
    "query ($id: ID!) { portalBlock(id: $id) { id title subtitle backgroundImageUrl redirectUrl } }"
)
BLOCK = {
    "title": "Manage your subscription",
    "subtitle": "Cancel, switch plan or change card",
    "backgroundImageUrl": "https://images.example.com/bg.png",
    "redirectUrl": "https://localhost/account",
}


async def save(client, token, **overrides):
    return await graphql(client, SAVE, {"input": {**BLOCK, **overrides}}, token=token)


async def test_an_admin_saves_a_block_that_anyone_can_read(client, admin_token):
    saved = (await save(client, admin_token))["data"]["savePortalBlock"]

    read = await graphql(client, READ, {"id": saved["id"]})

    assert read["data"]["portalBlock"] == saved
    assert {key: saved[key] for key in BLOCK} == BLOCK
    assert uuid.UUID(saved["id"])


async def test_saving_with_an_id_updates_that_block(client, admin_token):
    saved = (await save(client, admin_token))["data"]["savePortalBlock"]

    updated = await save(client, admin_token, id=saved["id"], title="Billing", subtitle=None)

    assert updated["data"]["savePortalBlock"]["id"] == saved["id"]
    assert updated["data"]["savePortalBlock"]["title"] == "Billing"
    assert updated["data"]["savePortalBlock"]["subtitle"] is None
    assert await PortalBlock.all().count() == 1


async def test_outside_prod_a_block_may_return_to_an_app_on_loopback_over_plain_http(
    client, admin_token
):
    body = await save(client, admin_token, redirectUrl="http://127.0.0.1:8000/demo/")

    assert body["data"]["savePortalBlock"]["redirectUrl"] == "http://127.0.0.1:8000/demo/"


async def test_updating_an_unknown_block_is_not_found(client, admin_token):
    body = await save(client, admin_token, id=str(uuid.uuid4()))

    assert error_codes(body) == ["NOT_FOUND"]
    assert await PortalBlock.all().count() == 0


async def test_reading_an_unknown_block_gives_null(client, database):
    body = await graphql(client, READ, {"id": str(uuid.uuid4())})

    assert body == {"data": {"portalBlock": None}}


@pytest.mark.parametrize(
    "overrides",
    [
        {"redirectUrl": "https://evil.example.com/account"},
        {"redirectUrl": "javascript:alert(1)"},
        {"redirectUrl": "/account"},
        {"backgroundImageUrl": "http://images.example.com/bg.png"},
        {"backgroundImageUrl": "data:image/png;base64,AAAA"},
        {"title": ""},
        {"title": "x" * 201},
        {"subtitle": "x" * 501},
    ],
)
async def test_a_bad_block_is_refused_and_nothing_is_stored(client, admin_token, overrides):
    body = await save(client, admin_token, **overrides)

    assert error_codes(body) == ["BAD_USER_INPUT"]
    assert await PortalBlock.all().count() == 0


async def test_a_bad_update_leaves_the_block_as_it_was(client, admin_token):
    saved = (await save(client, admin_token))["data"]["savePortalBlock"]

    body = await save(
        client, admin_token, id=saved["id"], title="New", redirectUrl="https://evil.example.com/"
    )

    assert error_codes(body) == ["BAD_USER_INPUT"]
    read = await graphql(client, READ, {"id": saved["id"]})
    assert read["data"]["portalBlock"] == saved
