"""The service served on loopback for the live tests (the suite's database and stripe-mock)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from billing_portal.settings import Settings
from tests.live.support import Instance, running


@pytest.fixture
async def instance(settings: Settings) -> AsyncIterator[Instance]:
    async with running(settings) as served:
        yield served
