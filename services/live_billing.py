"""Live billing state: the viewer's billing again each time their part of the mirror changes, on
connections each user may hold a bounded number of.

A viewer's part of the mirror is their customer's, and before they have one, their own user's:
the first link from user to customer is announced under the user, after which their customer is
followed too. Each change is announced after its commit, and the state is read after the inbox
follows the topics, so no change falls between a read and the next announcement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator

from services.auth import Principal
from services.metrics import NO_METRICS, Metrics
from services.notifications import BillingChanges, customer_topic, user_topic
from services.users import BillingUser, BillingUsers

# Changes that arrive this soon after another are shown together: a completed Checkout sends a
# dozen webhooks within a second, and each push makes the app read and render everything again.
SETTLE_SECONDS = 0.1


class LiveBilling:
    def __init__(
        self,
        changes: BillingChanges,
        users: BillingUsers,
        *,
        connections_per_user: int,
        settle_seconds: float = SETTLE_SECONDS,
        metrics: Metrics = NO_METRICS,
    ) -> None:
        self._changes = changes
        self._metrics = metrics
        self._users = users
        self._connections_per_user = connections_per_user
        self._settle_seconds = settle_seconds
        self._connections: Counter[str] = Counter()

    @property
    def connections_per_user(self) -> int:
        return self._connections_per_user

    def admit(self, user_id: str) -> bool:
        """Take one of the user's connections in this instance; False when all are taken."""
        if self._connections[user_id] >= self._connections_per_user:
            return False
        self._connections[user_id] += 1
        self._metrics.live_connection_opened()
        return True

    def leave(self, user_id: str) -> None:
        """Give back a connection `admit` gave."""
        self._connections[user_id] -= 1
        if self._connections[user_id] <= 0:
            del self._connections[user_id]
        self._metrics.live_connection_closed()

    async def states(self, principal: Principal) -> AsyncIterator[BillingUser]:
        """The caller now, then after each change of their billing (changes close together once)."""
        async with self._changes.subscribe(user_topic(principal.subject)) as inbox:
            while True:
                user = await self._users.ensure(principal)
                if user.customer_id is not None:
                    inbox.follow(customer_topic(user.customer_id))
                self._metrics.billing_changed_sent()
                yield user
                await inbox.wait(self._settle_seconds)
