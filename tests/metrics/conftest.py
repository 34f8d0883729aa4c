"""Apps with metrics of their own, each built from settings alone as `serve` builds it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from billing_portal.settings import Settings
from tests.support import app_client


@pytest.fixture
async def metrics_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(settings) as http:
        yield http
