"""The pinned versions are written once, in simulator.toolkit.versions, and the README agrees."""

from __future__ import annotations

import stripe

from simulator.toolkit.versions import (
    STRIPE_MOCK_API_VERSION,
    STRIPE_MOCK_TAG,
    stripe_sdk_api_version,
)


def test_the_sdk_api_version_is_the_installed_sdks():
    assert stripe_sdk_api_version() == stripe.api_version


def test_the_readme_states_the_pinned_pair(repo_root):
    """An SDK upgrade that changes its API version fails here until the pair is checked again."""
    readme = (repo_root / "README.md").read_text()

    pinned_pair = (STRIPE_MOCK_TAG, STRIPE_MOCK_API_VERSION, stripe.VERSION, stripe.api_version)
    for pinned in pinned_pair:
        assert pinned in readme
