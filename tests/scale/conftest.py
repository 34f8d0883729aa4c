"""Fixtures for the tests of several instances: the API tests' catalog."""

from __future__ import annotations

from tests.api.conftest import catalog

__all__ = ["catalog"]
