"""The Stripe API calls the simulated Stripe makes, sent to stripe-mock to be checked.

stripe-mock validates each request against Stripe's OpenAPI spec and answers with fixtures;
the simulator ignores the answers (its own graph is the truth) but a refused request fails
the step, which is how a call Stripe would not accept gets caught.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import stripe

if TYPE_CHECKING:
    from stripe._v1_services import V1Services

SIMULATOR_API_KEY = "sk_test_simulator"


class StripeRequestRejected(Exception):
    """stripe-mock refused a request the simulated Stripe made."""


class StripeApi:
    def __init__(self, base_url: str) -> None:
        self._http = stripe.HTTPXClient()
        self._client = stripe.StripeClient(
            SIMULATOR_API_KEY,
            base_addresses={"api": base_url},
            http_client=self._http,
            max_network_retries=2,
        )

    async def call(self, what: str, operation: Callable[[V1Services], Awaitable[object]]) -> None:
        try:
            await operation(self._client.v1)
        except stripe.StripeError as error:
            raise StripeRequestRejected(
                f"stripe-mock refused {what}: {error.user_message or error}"
            ) from error

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]
