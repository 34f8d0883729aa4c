"""Admin-written text is stored only when a page can render it as written: no controls, no
direction overrides, no invisible characters; a plain newline only in the multi-line subtitle."""

from __future__ import annotations

from typing import Any

import pytest

from services.models import PortalBlock, PortalConfiguration
from services.text import safe_text
from tests.hardening.support import (
    CONFIGURE_PORTAL,
    PORTAL_OPTIONS,
    SAVE_BLOCK,
    UNSAFE_CHARACTERS,
    graphql,
)
from tests.support import error_codes

BLOCK = {"title": "Billing", "redirectUrl": "https://localhost/account"}
UNSAFE = pytest.mark.parametrize(
    "character", list(UNSAFE_CHARACTERS.values()), ids=list(UNSAFE_CHARACTERS)
)


def refusal(body: dict[str, Any]) -> str:
    assert error_codes(body) == ["BAD_USER_INPUT"], body
    message: str = body["errors"][0]["message"]
    return message


@UNSAFE
@pytest.mark.parametrize("field", ["title", "subtitle"])
async def test_a_block_text_with_an_unsafe_character_is_refused_by_name_and_not_stored(
    client, admin_token, field, character
):
    block = {**BLOCK, field: f"Plan{character}s"}

    body = await graphql(client, SAVE_BLOCK, {"input": block}, token=admin_token)

    assert refusal(body).startswith(f"{field} must not contain")
    assert await PortalBlock.all().count() == 0


@UNSAFE
async def test_a_portal_headline_with_an_unsafe_character_is_refused_by_name(
    client, admin_token, character
):
    options = {**PORTAL_OPTIONS, "headline": f"Manage{character}billing"}

    body = await graphql(client, CONFIGURE_PORTAL, {"input": options}, token=admin_token)

    assert refusal(body).startswith("headline must not contain")
    assert await PortalConfiguration.all().count() == 0


async def test_a_subtitle_may_span_lines(client, admin_token):
    block = {**BLOCK, "subtitle": "Change your plan.\nCancel any time."}

    body = await graphql(client, SAVE_BLOCK, {"input": block}, token=admin_token)

    assert body["data"]["savePortalBlock"]["subtitle"] == "Change your plan.\nCancel any time."


async def test_a_title_may_not_span_lines(client, admin_token):
    body = await graphql(
        client, SAVE_BLOCK, {"input": {**BLOCK, "title": "Bill\ning"}}, token=admin_token
    )

    assert refusal(body).startswith("title must not contain control characters (U+000A)")


@pytest.mark.parametrize(
    "text",
    ["Abonnement für Ihr Konto", "الفواتير", "מנוי", "请管理您的订阅", "Plans 👨‍👩‍👧 ❤️", "می‌خواهم"],
    ids=["german", "arabic", "hebrew", "chinese", "emoji-sequences", "persian-zwnj"],
)
def test_real_writing_in_any_script_passes_unchanged(text):
    assert safe_text(text, field="title") == text
