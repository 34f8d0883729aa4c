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
import ssl
import time
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import aiohttp
import httpx
import stripe

from services import stripe_endpoints
from services.errors import PaymentProviderError, PaymentProviderUnavailable
from services.metrics import NO_METRICS, Metrics

if TYPE_CHECKING:
    from stripe._v1_services import V1Services

T = TypeVar("T")
Answer = TypeVar("Answer", bound=tuple[Any, int, Any])
log = logging.getLogger(__name__)

# A user waits for most Stripe calls: past this, an answer is worth less than a clear "try again".
DEFAULT_DEADLINE_SECONDS = 10.0
DEFAULT_MAX_NETWORK_RETRIES = 2
DEFAULT_TIMEOUT_SECONDS = 20.0
# Stripe calls in flight at once per instance (more wait for a connection): far above the request
# rate Stripe allows one account, so only a runaway caller ever waits.
DEFAULT_MAX_CONNECTIONS = 512
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


class DeadlineHTTPClient(stripe.AIOHTTPClient):
    """stripe's aiohttp client, with one deadline over each request and all of its retries.

    aiohttp rather than the SDK's default httpx: httpcore's pool walks all its connections for
    every request queued on it, and closes any connection that goes idle while it holds more than
    its keep-alive count, so with a few hundred calls in flight the SDK spent more CPU on the pool
    than on the calls and reconnected (a TLS handshake each) for most of them. aiohttp's pool
    hands a connection over in constant time and keeps `connector`'s connections open.

    A Stripe that accepts connections and never answers would otherwise hold the caller for
    every attempt's full timeout plus the back-off between attempts. The deadline wraps the SDK's
    own retry loop, so it also covers requests the SDK makes on its own (the next page of a
    list). Running out of time raises the SDK's connection error, which the gateway reports as
    PAYMENT_PROVIDER_UNAVAILABLE. A create cut short is safe to send again: the creates whose
    objects last (customers, checkout sessions, the portal configuration) carry an idempotency
    key derived from what they create, so Stripe answers a repeat with the first object.
    """

    def __init__(
        self,
        *,
        timeout_seconds: float,
        deadline_seconds: float,
        connector: aiohttp.BaseConnector,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        # One attempt never outlives the deadline (an attempt cut short by it is not retried).
        # The timeout bounds each wait for the network, as httpx's did; a total one would cancel
        # the request's task just as the deadline does, and the two cancellations can hide the
        # deadline's.
        wait = min(timeout_seconds, deadline_seconds)
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=wait, sock_read=wait)
        super().__init__(timeout=timeout, connector=connector)
        self.deadline_seconds = deadline_seconds
        self._metrics = metrics

    async def request_with_retries_async(
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> tuple[Any, int, Any]:
        request = super().request_with_retries_async(method, url, *args, **kwargs)
        return await self._timed(method, url, self._within_deadline(request))

    async def request_stream_with_retries_async(
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> tuple[AsyncIterable[bytes], int, Any]:
        request = super().request_stream_with_retries_async(method, url, *args, **kwargs)
        return await self._timed(method, url, self._within_deadline(request))

    async def _timed(self, method: str, url: str, request: Awaitable[Answer]) -> Answer:
        """Every request the SDK sends passes here, the pages it fetches on its own too, so
        this is where each is counted and timed (its retries included)."""
        started = time.perf_counter()
        try:
            answer = await request
        except Exception:  # no answer at all (a request cancelled by its caller is not counted)
            self._count(method, url, None, started)
            raise
        self._count(method, url, answer[1], started)
        return answer

    def _count(self, method: str, url: str, status: int | None, started: float) -> None:
        seconds = time.perf_counter() - started
        endpoint = stripe_endpoints.endpoint(method, url)
        self._metrics.stripe_request(endpoint, stripe_endpoints.outcome(status), seconds)

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
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self.api_base = api_base

        def connect() -> tuple[DeadlineHTTPClient, stripe.StripeClient]:
            http = DeadlineHTTPClient(
                timeout_seconds=timeout_seconds,
                deadline_seconds=deadline_seconds,
                connector=aiohttp.TCPConnector(limit=max_connections, ssl=_stripe_tls()),
                metrics=metrics,
            )
            client = stripe.StripeClient(
                api_key,
                base_addresses={"api": api_base, "files": api_base, "connect": api_base},
                http_client=http,
                max_network_retries=max_network_retries,
            )
            return http, client

        self._connect = connect
        self._connected: tuple[DeadlineHTTPClient, stripe.StripeClient] | None = None

    @property
    def _client(self) -> stripe.StripeClient:
        """Made on first use, inside the event loop that uses it: aiohttp's pool belongs to the
        loop it was made in (and the app is built before its loop runs)."""
        if self._connected is None:
            self._connected = self._connect()
        return self._connected[1]

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
        self, path: str, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """POST and return the answer as plain JSON, without building StripeObjects.

        For hot paths that read a few fields of a session: building its StripeObject tree was a
        large part of the server's time per session. Same retries, idempotency (the SDK's own key
        for its retries when none is given) and error translation as `call`.
        """
        options = {} if idempotency_key is None else {"idempotency_key": idempotency_key}
        response = await self.call(
            lambda _: self._client.raw_request_async("post", path, **params, **options)
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
        if self._connected is not None:
            http, _ = self._connected
            self._connected = None
            await http.close_async()  # type: ignore[no-untyped-call]


def _stripe_tls() -> ssl.SSLContext:
    """Certificates checked against the SDK's own CA bundle, as its clients check them."""
    return ssl.create_default_context(cafile=stripe.ca_bundle_path)
