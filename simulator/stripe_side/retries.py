"""Stripe's automatic retries of a webhook delivery the endpoint did not acknowledge.

Stripe keeps retrying an event it could not deliver for up to three days with exponential
backoff, and publishes no intervals (its Dashboard shows the next attempt). The simulator
doubles from one hour, so after a first attempt at `t` the retries come at `t` + 1 h, 3 h, 7 h,
15 h, 31 h and 63 h: an event can reach the service days after later events about the same
object, which is what makes the backoff hard on a service, whatever the exact intervals.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from simulator.stripe_side.clock import DAY, HOUR
from simulator.stripe_side.webhooks import Delivery

RETRY_WINDOW = 3 * DAY
FIRST_RETRY_DELAY = HOUR


def retry_moments(first_attempt: int) -> tuple[int, ...]:
    """When Stripe tries again after a failed first attempt at `first_attempt`."""
    # BEHAVIOUR: webhook.retries
    moments: list[int] = []
    delay, moment = FIRST_RETRY_DELAY, first_attempt
    while moment + delay <= first_attempt + RETRY_WINDOW:
        moment += delay
        moments.append(moment)
        delay *= 2
    return tuple(moments)


@dataclass(frozen=True, slots=True)
class PendingRetry:
    """An event Stripe will try again, at the first of `moments`."""

    delivery: Delivery
    moments: tuple[int, ...]


class RetryQueue:
    """The events one role's endpoint has not acknowledged yet, each with its next attempts."""

    def __init__(self) -> None:
        self._waiting: dict[str, PendingRetry] = {}
        self._attempted: dict[str, PendingRetry] = {}

    def schedule(self, delivery: Delivery, first_attempt: int) -> None:
        """Retry `delivery`'s event on Stripe's schedule (once, whatever its duplicates did)."""
        event_id = delivery.event_id
        if event_id is None or event_id in self._waiting or event_id in self._attempted:
            return
        plain = dataclasses.replace(delivery, duplicate=False, delay=0.0, retry=0)
        self._waiting[event_id] = PendingRetry(plain, retry_moments(first_attempt))

    def due(self, now: int) -> list[Delivery]:
        """The retries whose moment has come, oldest event first, each numbered."""
        retries: list[Delivery] = []
        for event_id in [
            key for key, pending in self._waiting.items() if pending.moments[0] <= now
        ]:
            pending = self._waiting.pop(event_id)
            retry = dataclasses.replace(pending.delivery, retry=pending.delivery.retry + 1)
            self._attempted[event_id] = PendingRetry(retry, pending.moments[1:])
            retries.append(retry)
        return retries

    def delivered(self, retry: Delivery) -> None:
        """The service acknowledged `retry`: Stripe stops trying."""
        self._attempted.pop(retry.event_id or "", None)

    def failed(self, retry: Delivery) -> bool:
        """`retry` failed too: True when Stripe will try again, False when that was its last."""
        pending = self._attempted.pop(retry.event_id or "")
        if not pending.moments:
            return False
        self._waiting[retry.event_id or ""] = pending
        return True

    def next_moment(self) -> int | None:
        return min((pending.moments[0] for pending in self._waiting.values()), default=None)
