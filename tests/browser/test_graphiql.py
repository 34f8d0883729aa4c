"""GraphiQL, the dev explorer at GET /graphql, works on a machine with no network."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Page, expect

from simulator.harness import Target, in_process_service
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.browser.offline import OfflineGuard

# Mounted by GraphiQL's React app only: the page's own markup holds a bare placeholder.
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response"


@pytest.fixture
async def service(stripe_mock: StripeMockServer, database: str) -> AsyncIterator[Target]:
    async with in_process_service(stripe_mock.url, database, manage_database=False) as target:
        yield target


async def test_graphiql_runs_a_query_with_every_asset_served_by_the_service(
    page: Page, service: Target, offline: OfflineGuard
) -> None:
    await page.goto(f"{service.base_url}/graphql")
    editor = page.locator(QUERY_EDITOR)
    await expect(editor).to_be_visible()
    await editor.click()
    await page.keyboard.press("ControlOrMeta+a")
    await page.keyboard.type("{ __typename }")
    await page.keyboard.press("ControlOrMeta+Enter")
    await expect(page.locator(RESPONSE)).to_contain_text('"__typename": "Query"')
    assert offline.blocked == []
