"""Fixtures for the browser tests: one real Chromium per session, a fresh context per test whose
only network is the loopback interface, and a screenshot of the page when a test fails.

Playwright's async API, because the suite's fixtures and the servers under test share the
session's asyncio loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator

import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    ViewportSize,
    async_playwright,
    expect,
)

from simulator.toolkit.stripe_mock import StripeMockServer
from tests.browser.chromium import LAUNCH_ARGS, ChromiumNotFound, find_chromium
from tests.browser.evidence import PageEvidence
from tests.browser.offline import OfflineGuard
from tests.browser.stand import Stand, running_stand
from tests.support import service_missing

DESKTOP_VIEWPORT: ViewportSize = {"width": 1280, "height": 900}
# Pages write dates and amounts in the browser's language and time zone: fixed, so a test can
# say what a date reads.
LOCALE = "en-US"
TIMEZONE = "UTC"
# One wait for every action and expectation: Playwright's 30 s for actions hides a stuck page
# for long, its 5 s for expectations is short for a page that reloads on a busy two-core machine.
ACTION_TIMEOUT_MS = 10_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)
EVIDENCE = pytest.StashKey[PageEvidence]()


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    try:
        return find_chromium()
    except ChromiumNotFound as missing:
        service_missing(str(missing))


@pytest.fixture(scope="session")
async def playwright() -> AsyncIterator[Playwright]:
    async with async_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
async def browser(playwright: Playwright, chromium_executable: str) -> AsyncIterator[Browser]:
    launched = await playwright.chromium.launch(
        executable_path=chromium_executable, args=list(LAUNCH_ARGS)
    )
    yield launched
    await launched.close()


@pytest.fixture
def offline() -> OfflineGuard:
    """The requests the test's browser tried to send off the machine (all of them refused)."""
    return OfflineGuard()


@pytest.fixture
def viewport() -> ViewportSize:
    """The window size; a test overrides this fixture to play at a phone's width."""
    return DESKTOP_VIEWPORT


@pytest.fixture
async def context(
    browser: Browser, offline: OfflineGuard, viewport: ViewportSize
) -> AsyncIterator[BrowserContext]:
    fresh = await browser.new_context(viewport=viewport, locale=LOCALE, timezone_id=TIMEZONE)
    fresh.set_default_timeout(ACTION_TIMEOUT_MS)
    await offline.install(fresh)
    yield fresh
    await fresh.close()
    # Every page of the stand works offline: one that asks the internet for anything (a font, a
    # script from a CDN) would look fine on a connected machine and broken on a developer's.
    assert offline.blocked == [], f"the pages asked for hosts off this machine: {offline.blocked}"


@pytest.fixture
async def page(context: BrowserContext, request: pytest.FixtureRequest) -> AsyncIterator[Page]:
    opened = await context.new_page()
    evidence = PageEvidence(request.node.name, opened)
    evidence.listen()
    request.node.stash[EVIDENCE] = evidence
    yield opened
    if evidence.failed:
        await evidence.save()


@pytest.fixture
async def stand(stripe_mock: StripeMockServer, database: str) -> AsyncIterator[Stand]:
    """The service with its demo app and a fresh local Stripe, on the emptied database."""
    async with running_stand(stripe_mock.url, database) as running:
        yield running


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A failed browser test's report names its screenshot (the page fixture's teardown takes it,
    before pytest prints the failure)."""
    report = yield
    evidence = item.stash.get(EVIDENCE, None)
    if evidence is not None and report.failed and report.when in {"setup", "call"}:
        evidence.failed = True
        report.sections.append(("browser: what the page showed", evidence.summary()))
    return report
