"""Who in this process waits for which billing changes, each with a doorbell, not a queue.

A subscriber only needs to know that its part of the mirror changed since it last looked: it
then reads that part again, which shows every change at once. So an inbox holds one flag
however many changes arrive, a slow subscriber costs no memory, and a burst of changes (a
Checkout completes with a dozen webhooks) becomes one read.
"""

from __future__ import annotations

import asyncio


class Subscribers:
    """The inboxes of this process, by topic."""

    def __init__(self) -> None:
        self._by_topic: dict[str, set[Inbox]] = {}

    def add(self, topic: str, inbox: Inbox) -> None:
        self._by_topic.setdefault(topic, set()).add(inbox)

    def remove(self, topic: str, inbox: Inbox) -> None:
        inboxes = self._by_topic.get(topic)
        if inboxes is not None:
            inboxes.discard(inbox)
            if not inboxes:
                del self._by_topic[topic]

    def ring(self, topic: str) -> None:
        for inbox in self._by_topic.get(topic, ()):
            inbox.ring()

    def ring_all(self) -> None:
        for inboxes in self._by_topic.values():
            for inbox in inboxes:
                inbox.ring()


class Inbox:
    """One subscriber's doorbell for the topics it follows."""

    def __init__(self, subscribers: Subscribers) -> None:
        self._subscribers = subscribers
        self._topics: set[str] = set()
        self._rung = asyncio.Event()

    def follow(self, topic: str) -> None:
        if topic not in self._topics:
            self._topics.add(topic)
            self._subscribers.add(topic, self)

    def ring(self) -> None:
        self._rung.set()

    async def wait(self, settle_seconds: float = 0.0) -> None:
        """Until a change arrived since the last wait. Changes within `settle_seconds` after the
        first count as that one."""
        await self._rung.wait()
        if settle_seconds > 0:
            await asyncio.sleep(settle_seconds)
        self._rung.clear()

    def close(self) -> None:
        for topic in self._topics:
            self._subscribers.remove(topic, self)
        self._topics.clear()
