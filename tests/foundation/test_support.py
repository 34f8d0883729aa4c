"""The harness's own rule: a missing service skips locally and fails under CI."""

from __future__ import annotations

import pytest

from tests.support import service_missing


def test_a_missing_service_fails_the_run_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")

    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        service_missing("stripe-mock is not installed")


def test_a_missing_service_skips_with_its_reason_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)

    with pytest.raises(pytest.skip.Exception, match="stripe-mock is not installed"):
        service_missing("stripe-mock is not installed")
