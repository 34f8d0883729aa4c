"""Billing changes across instances: PostgreSQL's LISTEN/NOTIFY.

Each published topic becomes a notification on one channel, sent right after the commit of the
change (topics published together go in one statement), and PostgreSQL delivers it to every
instance listening, this one included: a subscriber hears a change whichever instance applied
it. Each instance listens on one connection of its own, opened when its first subscriber
arrives, kept outside the pool (a pooled connection would be handed to other work), and checked
now and then, since a link that died silently tells nobody. When it is lost the instance opens
another and rings every inbox once: what was announced in between is not lost, only coalesced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any

import asyncpg
from tortoise import connections
from tortoise.backends.base.config_generator import expand_db_url

from services.connections import WRITE_CONNECTION
from services.notifications.changes import BillingChanges

logger = logging.getLogger(__name__)

CHANNEL = "billing_changed"
# How the listening connection shows in pg_stat_activity.
LISTENER_NAME = "billing-portal: billing changes"
# Notifications of one statement; each topic is far below PostgreSQL's 8000-byte payload limit.
MAX_TOPICS_PER_STATEMENT = 1000
NOTIFY = "SELECT pg_notify($1, topic) FROM unnest($2::text[]) AS topic"
CHECK_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 10.0
FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 30.0
_CREDENTIALS = ("host", "port", "user", "password", "database")


def listener_credentials(database_url: str) -> dict[str, Any]:
    """What asyncpg needs from a Tortoise database URL (its pool options are not for it)."""
    credentials = expand_db_url(database_url)["credentials"]
    return {name: credentials[name] for name in _CREDENTIALS if name in credentials}


class PostgresBillingChanges(BillingChanges):
    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._credentials = listener_credentials(database_url)
        self._unsent: set[str] = set()
        self._sender: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None
        self._listening_now = asyncio.Event()

    def publish(self, topics: Iterable[str]) -> None:
        self._unsent.update(topics)
        if self._unsent and (self._sender is None or self._sender.done()):
            self._sender = asyncio.create_task(self._send(), name="billing changes: notify")

    async def _send(self) -> None:
        """Until nothing is left to send: topics published meanwhile go in the next statement."""
        while self._unsent:
            topics = sorted(self._unsent)[:MAX_TOPICS_PER_STATEMENT]
            self._unsent.difference_update(topics)
            try:
                await connections.get(WRITE_CONNECTION).execute_query(NOTIFY, [CHANNEL, topics])
            except Exception:  # the mirror is right; its subscribers just hear it later
                logger.exception("billing changes could not be announced")

    async def _listening(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="billing changes: listen")
        await self._listening_now.wait()

    async def _listen(self) -> None:
        """Listen for as long as the service runs, on a new connection whenever one is lost."""
        retry_seconds = FIRST_RETRY_SECONDS
        reconnecting = False
        while True:
            try:
                connection = await asyncpg.connect(
                    **self._credentials,
                    timeout=CONNECT_TIMEOUT_SECONDS,
                    server_settings={"application_name": LISTENER_NAME},
                )
            except Exception as error:  # the server is down or refuses: try again, later and later
                logger.warning("cannot listen for billing changes: %s", error)
                await asyncio.sleep(retry_seconds)
                retry_seconds = min(retry_seconds * 2, LAST_RETRY_SECONDS)
                continue
            retry_seconds = FIRST_RETRY_SECONDS
            try:
                await self._hold(connection, ring_everyone=reconnecting)
            except Exception as error:  # the link failed its check, or broke mid-way
                logger.warning("lost the billing changes listener: %s", error)
            finally:
                self._listening_now.clear()
                connection.terminate()
            reconnecting = True

    async def _hold(self, connection: Any, *, ring_everyone: bool) -> None:
        """Listen on `connection` until it is lost."""
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _: lost.set())
        await connection.add_listener(CHANNEL, self._on_notification)
        if ring_everyone:  # whatever was announced while nobody listened
            self._subscribers.ring_all()
        self._listening_now.set()
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(lost.wait(), CHECK_SECONDS)
                break
            await connection.execute("SELECT 1", timeout=CONNECT_TIMEOUT_SECONDS)

    def _on_notification(self, _connection: Any, _pid: int, _channel: str, topic: str) -> None:
        self._subscribers.ring(topic)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        if self._sender is not None:
            await self._sender
