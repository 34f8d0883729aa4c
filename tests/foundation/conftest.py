"""Fixtures of the foundation tests: a sign-in provider's signing keys, generated once."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from simulator.toolkit.identity_provider import ProviderKey, generate_key


@dataclass(frozen=True, slots=True)
class ProviderKeys:
    """A key of each kind a provider signs with, and two it has not published."""

    rsa: ProviderKey
    ec: ProviderKey
    ed: ProviderKey
    # What a key rotation brings in.
    next_rsa: ProviderKey
    # A key of someone else's: the provider never publishes it.
    stranger: ProviderKey


@pytest.fixture(scope="session")
def keys() -> ProviderKeys:
    return ProviderKeys(
        rsa=generate_key("RS256", "rsa-1"),
        ec=generate_key("ES256", "ec-1"),
        ed=generate_key("EdDSA", "ed-1"),
        next_rsa=generate_key("RS256", "rsa-2"),
        stranger=generate_key("RS256", "stranger-1"),
    )
