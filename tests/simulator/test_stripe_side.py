"""The simulated Stripe's customer actions send Stripe's events, in Stripe's order.

Each action runs against stripe-mock (which checks every API call) and delivers to an endpoint
that records what it receives, so these specify the Stripe side alone, without the service.
"""

from __future__ import annotations

import pytest


async def test_the_portal_does_not_open_before_the_service_created_the_stripe_customer(account):
    with pytest.raises(RuntimeError, match="no Stripe customer yet"):
        await account.customer.open_portal("bps_spec", "https://localhost/account")
