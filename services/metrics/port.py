"""The port the services and the app record through; it knows nothing of how values are kept.

Label values are passed as they come (an operation name, an endpoint, an event type): bounding
how many distinct values a label may take is the recording side's job, so no caller can forget
it.
"""

from __future__ import annotations

from typing import Protocol


class Metrics(Protocol):
    def graphql_request(self, operation: str | None, code: str) -> None:
        """One GraphQL request answered with `code` (`OK`, or its first error's code);
        `operation` is None unless the request named an operation of a document that
        validated."""

    def stripe_request(self, endpoint: str, outcome: str, seconds: float) -> None:
        """One Stripe request (its retries included) to `endpoint` (`METHOD /v1/path/{id}`)."""

    def webhook_event(self, event_type: str | None, outcome: str) -> None:
        """One webhook delivery; `event_type` is None when it was not verified as Stripe's."""

    def webhook_batch(self, size: int) -> None:
        """One group commit of `size` webhook events."""

    def live_connection_opened(self) -> None:
        """A live (WebSocket) connection admitted at its connection_init."""

    def live_connection_closed(self) -> None:
        """An admitted live connection ended, however it ended."""

    def billing_changed_sent(self) -> None:
        """One billingChanged message: the viewer's state handed to a live subscription."""

    async def scrape(self) -> bytes:
        """Every metric in the Prometheus text format, gauges read at this moment."""


class NoMetrics:
    """Metrics turned off: nothing is kept, and a scrape is empty."""

    def graphql_request(self, operation: str | None, code: str) -> None:
        pass

    def stripe_request(self, endpoint: str, outcome: str, seconds: float) -> None:
        pass

    def webhook_event(self, event_type: str | None, outcome: str) -> None:
        pass

    def webhook_batch(self, size: int) -> None:
        pass

    def live_connection_opened(self) -> None:
        pass

    def live_connection_closed(self) -> None:
        pass

    def billing_changed_sent(self) -> None:
        pass

    async def scrape(self) -> bytes:
        return b""


NO_METRICS: Metrics = NoMetrics()
