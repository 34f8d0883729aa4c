"""The only door to Stripe: one async `StripeClient`, idempotency keys, and one error mapping.

Services pass a function of the client's `v1` namespace to `StripeGateway.call`, so every Stripe
call in the code base goes through the same retries, the same deadline and the same translation
of stripe's exceptions into the contract's `PAYMENT_PROVIDER_ERROR` /
`PAYMENT_PROVIDER_UNAVAILABLE`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import stripe

from services.errors import PaymentProviderError, PaymentProviderUnavailable

if TYPE_CHECKING:
    from stripe._v1_services import V1Services

T = TypeVar("T")
log = logging.getLogger(__name__)

# A user waits for most Stripe calls: past this, an answer is worth less than a clear "try again".
DEFAULT_DEADLINE_SECONDS = 10.0
DEFAULT_MAX_NETWORK_RETRIES = 2
DEFAULT_TIMEOUT_SECONDS = 20.0
MAX_LOGGED_MESSAGE_LENGTH = 200


def idempotency_key(*parts: str) -> str:
    """A key that is the same for the same logical request, across retries and restarts."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"bp-{digest}"


def translate(error: stripe.StripeError) -> PaymentProviderError | PaymentProviderUnavailable:
    """Map a stripe exception to the contract: refused (4xx) versus unreachable/failing (5xx)."""
    if isinstance(error, stripe.RateLimitError):
        return PaymentProviderUnavailable("The payment provider is busy; try again shortly.")
    status = error.http_status or 0
    if isinstance(error, stripe.APIConnectionError) or status >= 500 or status == 0:
        return PaymentProviderUnavailable("The payment provider is unreachable; try again shortly.")
    # Only a card error's message is written for the paying customer; the others are written for
    # developers (and may name ids or internals), so they stay in the logs.
    if isinstance(error, stripe.CardError) and error.user_message:
        return PaymentProviderError(error.user_message)
    return PaymentProviderError("The payment provider refused the request.")


class DeadlineHTTPXClient(stripe.HTTPXClient):
    """stripe's httpx client, with one deadline over each request and all of its retries.

    A Stripe that accepts connections and never answers would otherwise hold the caller for
    every attempt's full timeout plus the back-off between attempts. The deadline wraps the SDK's
    own retry loop, so it also covers requests the SDK makes on its own (the next page of a
    list). Running out of time raises the SDK's connection error, which the gateway reports as
    PAYMENT_PROVIDER_UNAVAILABLE. A create cut short is safe to send again: the creates whose
    objects last (customers, checkout sessions, the portal configuration) carry an idempotency
    key derived from what they create, so Stripe answers a repeat with the first object.
    """

    def __init__(self, *, timeout_seconds: float, deadline_seconds: float) -> None:
        # One attempt never outlives the deadline (an attempt cut short by it is not retried).
        super().__init__(timeout=min(timeout_seconds, deadline_seconds))
        self.deadline_seconds = deadline_seconds

    async def request_with_retries_async(self, *args: Any, **kwargs: Any) -> tuple[Any, int, Any]:
        return await self._within_deadline(super().request_with_retries_async(*args, **kwargs))

    async def request_stream_with_retries_async(
        self, *args: Any, **kwargs: Any
    ) -> tuple[AsyncIterable[bytes], int, Any]:
        request = super().request_stream_with_retries_async(*args, **kwargs)
        return await self._within_deadline(request)

    async def _within_deadline(self, request: Awaitable[T]) -> T:
        try:
            async with asyncio.timeout(self.deadline_seconds):
                return await request
        except TimeoutError:
            raise stripe.APIConnectionError(  # type: ignore[no-untyped-call]
                f"No answer from Stripe within the {self.deadline_seconds:g} s deadline.",
                should_retry=False,
            ) from None


class StripeGateway:
    def __init__(
        self,
        *,
        api_key: str,
        api_base: str,
        max_network_retries: int = DEFAULT_MAX_NETWORK_RETRIES,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    ) -> None:
        self.api_base = api_base
        self._http = DeadlineHTTPXClient(
            timeout_seconds=timeout_seconds, deadline_seconds=deadline_seconds
        )
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": api_base, "files": api_base, "connect": api_base},
            http_client=self._http,
            max_network_retries=max_network_retries,
        )

    async def call(self, operation: Callable[[V1Services], Awaitable[T]]) -> T:
        """Run one Stripe API call and translate its failure into the contract's codes."""
        try:
            return await operation(self._client.v1)
        except stripe.StripeError as error:
            log.warning(
                "stripe call failed",
                extra={
                    "stripe_status": error.http_status,
                    "stripe_code": error.code,
                    "stripe_request_id": error.request_id,
                    # Stripe's messages quote the values they refuse (an email from a token):
                    # enough of it to debug, never a whole value of any size.
                    "error": str(error)[:MAX_LOGGED_MESSAGE_LENGTH],
                },
            )
            raise translate(error) from error

    async def each(
        self, first_page: Callable[[V1Services], Awaitable[Any]]
    ) -> AsyncIterator[dict[str, Any]]:
        """Every object of a Stripe list as plain JSON, page after page, with `call`'s error
        translation for the pages the SDK fetches on its own too."""
        page = await self.call(first_page)
        try:
            async for item in page.auto_paging_iter():
                listed: dict[str, Any] = item.to_dict()
                yield listed
        except stripe.StripeError as error:
            raise translate(error) from error

    async def post_raw(
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        """POST and return the answer as plain JSON, without building StripeObjects.

        For hot paths that read two fields of a large object: building the StripeObject tree of a
        Checkout Session cost about a fifth of the server's time per checkout. Same retries,
        idempotency and error translation as `call`.
        """
        response = await self.call(
            lambda _: self._client.raw_request_async(
                "post", path, **params, idempotency_key=idempotency_key
            )
        )
        body: dict[str, Any] = response.data
        return body

    async def ping(self, timeout_seconds: float = 2.0) -> str | None:
        """None when the API base answers HTTP at all (readiness); otherwise why it did not."""
        try:
            async with httpx.AsyncClient(timeout=timeout_seconds) as http:
                await http.get(self.api_base)
        except httpx.HTTPError as error:
            return f"stripe api base {self.api_base} did not answer: {type(error).__name__}"
        return None

    async def close(self) -> None:
        await self._http.close_async()  # type: ignore[no-untyped-call]
