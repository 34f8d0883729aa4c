"""The versions the project is tested with: the one place each is written down.

stripe-mock validates requests against the OpenAPI spec bundled in its release, which lags the
API version the SDK sends; stripe-mock runs without `-strict-version-check`, so the test suite is
what proves every call still validates. pyproject.toml pins the SDK's minor release, and the
SDK's API version is read from the SDK itself, so upgrading the SDK cannot leave a stale copy.
"""

from __future__ import annotations

STRIPE_MOCK_TAG = "v0.203.0"
STRIPE_MOCK_API_VERSION = "2026-08-26.dahlia"
"""The API version of the spec bundled in `STRIPE_MOCK_TAG`."""


def stripe_sdk_api_version() -> str:
    """What the installed stripe SDK sends as `Stripe-Version`.

    A function, not a constant: importing stripe costs a noticeable fraction of a second, which
    the command line's light commands (they import the stripe-mock launcher) should not pay.
    """
    import stripe

    return stripe.api_version
