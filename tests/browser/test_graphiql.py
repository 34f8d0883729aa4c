"""GraphiQL, the dev explorer at GET /graphql, works on a machine with no network."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from playwright.async_api import Page, expect

from simulator.harness import Target, in_process_service
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.browser.offline import OfflineGuard

# Mounted by GraphiQL's React app only: the page's own markup holds a bare placeholder.
QUERY_EDITOR = ".graphiql-query-editor .CodeMirror"
RESPONSE = ".graphiql-response"
QUERY = "{ __typename }"


@pytest.fixture
async def service(stripe_mock: StripeMockServer, database: str) -> AsyncIterator[Target]:
    async with in_process_service(stripe_mock.url, database, manage_database=False) as target:
        yield target


async def test_graphiql_runs_a_query_with_every_asset_served_by_the_service(
    page: Page, service: Target, offline: OfflineGuard
) -> None:
    # The page's own script fills the editor from `q`, as GraphiQL's shared links do.
    await page.goto(f"{service.base_url}/graphql?q={quote(QUERY)}")
    await expect(page.locator(QUERY_EDITOR)).to_contain_text(QUERY)
    await page.get_by_role("button", name=re.compile("Execute query")).click()
    await expect(page.locator(RESPONSE)).to_contain_text('"__typename": "Query"')
    assert offline.blocked == []
