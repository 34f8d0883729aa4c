"""What a failed browser test leaves behind: a screenshot and the page's HTML, under a folder
whose paths the failure report prints, plus what the page logged.

The report is written when the test fails, but the page can only be photographed from the
event loop, which the reporting hook does not run on: the hook announces the paths and marks the
test, and the page fixture's teardown (on the loop, with the page exactly as the test left it)
writes the files before pytest prints its failure summary.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import ConsoleMessage, Error, Page

FAILURES_FOLDER = Path(__file__).resolve().parents[2] / "var" / "browser-failures"
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


@dataclass
class PageEvidence:
    """One test's page and what it logged, to keep if the test fails."""

    test_name: str
    page: Page
    log: list[str] = field(default_factory=list)
    failed: bool = False

    def listen(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", self._page_error)

    @property
    def screenshot_path(self) -> Path:
        return FAILURES_FOLDER / f"{self._file_stem}.png"

    @property
    def html_path(self) -> Path:
        return FAILURES_FOLDER / f"{self._file_stem}.html"

    @property
    def _file_stem(self) -> str:
        return _UNSAFE_IN_FILE_NAME.sub("_", self.test_name).strip("_")

    def summary(self) -> str:
        lines = [
            f"screenshot: {self.screenshot_path}",
            f"page HTML:  {self.html_path}",
            f"page URL:   {self.page.url}",
        ]
        if self.log:
            lines.append("page log:")
            lines.extend(f"  {line}" for line in self.log)
        return "\n".join(lines)

    async def save(self) -> None:
        await asyncio.to_thread(FAILURES_FOLDER.mkdir, parents=True, exist_ok=True)
        await self.page.screenshot(path=self.screenshot_path, full_page=True)
        html = await self.page.content()
        await asyncio.to_thread(self.html_path.write_text, html, encoding="utf-8")

    def _console(self, message: ConsoleMessage) -> None:
        source = message.location.get("url", "")
        self.log.append(f"console.{message.type}: {message.text} ({source})")

    def _page_error(self, error: Error) -> None:
        self.log.append(f"uncaught: {error.message}")
