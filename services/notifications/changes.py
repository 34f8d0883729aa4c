"""Billing changes: the port through which whoever changes the mirror tells whoever shows it.

Writers publish the topics whose billing they changed, right after the commit that changed it
(webhooks, `sync`, a confirmed Checkout); live subscriptions follow the topics of their viewer.
A topic is a customer, or a user (who may not have a customer yet: the link from user to
customer is itself a change). Publishing never fails the writer: a notice that cannot be sent is
logged, and the mirror stays right.

This implementation reaches the subscribers of this process only: one instance, or SQLite. With
several instances on PostgreSQL, `PostgresBillingChanges` carries each notice to all of them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from services.notifications.inbox import Inbox, Subscribers


def customer_topic(customer_id: str) -> str:
    return f"customer:{customer_id}"


def user_topic(user_id: str) -> str:
    return f"user:{user_id}"


class BillingChanges:
    def __init__(self) -> None:
        self._subscribers = Subscribers()

    def publish(self, topics: Iterable[str]) -> None:
        """Tell the subscribers of `topics` that their billing changed (call after the commit)."""
        for topic in set(topics):
            self._subscribers.ring(topic)

    @asynccontextmanager
    async def subscribe(self, *topics: str) -> AsyncIterator[Inbox]:
        """An inbox following `topics` (and any it follows later), for the block's duration.
        Every change published once this returns reaches it."""
        inbox = Inbox(self._subscribers)
        for topic in topics:
            inbox.follow(topic)
        try:
            await self._listening()
            yield inbox
        finally:
            inbox.close()

    async def _listening(self) -> None:
        """Returns once changes published anywhere reach this process's inboxes."""

    async def close(self) -> None:
        """Stop listening and send what is still to be sent."""
