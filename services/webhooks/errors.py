"""The two ways a delivery is refused, each mapped to one status code by the endpoint."""

from __future__ import annotations


class WebhookRejected(Exception):
    """Not a verified Stripe event (signature, timestamp or body): 400, Stripe must not retry."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EventNotStored(Exception):
    """The event could not be written to the log: 5xx, so that Stripe delivers it again."""
