"""Where the Chromium that drives the browser tests lives.

Playwright's own browser builds cannot be downloaded here, so the tests drive the system's
Chromium (Debian's `chromium` package, which `.ci/run` installs) through `executable_path`.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
NAMES_ON_PATH = ("chromium", "chromium-browser")
# The tests run as root in CI, where Chromium refuses to start inside its own sandbox.
LAUNCH_ARGS = ("--no-sandbox",)


class ChromiumNotFound(LookupError):
    """No Chromium to drive; the message says where the search looked."""


def find_chromium() -> str:
    """CHROMIUM_PATH when set (and then nothing else), else Debian's path, else PATH."""
    configured = os.environ.get(CHROMIUM_PATH_VARIABLE)
    if configured:
        if not _is_executable(Path(configured)):
            raise ChromiumNotFound(f"{CHROMIUM_PATH_VARIABLE}={configured} is not an executable")
        return configured
    if _is_executable(DEBIAN_CHROMIUM):
        return str(DEBIAN_CHROMIUM)
    for name in NAMES_ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumNotFound(
        f"no Chromium: set {CHROMIUM_PATH_VARIABLE}, or `apt-get install chromium` "
        f"(looked at {DEBIAN_CHROMIUM} and for {' or '.join(NAMES_ON_PATH)} on PATH)"
    )


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)
