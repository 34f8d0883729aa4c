"""Idempotent requests: a POST sent again with the same `Idempotency-Key` gets the first answer.

Stripe saves the answer of every request that began executing under a key for 24 hours and
replays it; a key sent again with other parameters is refused. This is what makes the service's
keyed creates (one customer per user, one Checkout Session per double click) safe to repeat.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.local_stripe.calls import ApiRefusal
from simulator.stripe_side.clock import DAY

KEY_LIFETIME_SECONDS = DAY
Fingerprint = tuple[str, str, tuple[tuple[str, str], ...]]


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The request a key was first used for (method, path, sorted parameters) and its answer."""

    fingerprint: Fingerprint
    status: int
    body: object
    at: int


class IdempotentAnswers:
    def __init__(self) -> None:
        self._by_key: dict[str, StoredAnswer] = {}

    def replay(self, key: str, fingerprint: Fingerprint, *, now: int) -> StoredAnswer | None:
        """The answer to give again, None for a key not (or no longer) in use; refuses a key
        reused for another request."""
        # BEHAVIOUR: local.idempotency
        stored = self._by_key.get(key)
        if stored is None or now - stored.at > KEY_LIFETIME_SECONDS:
            return None
        if stored.fingerprint != fingerprint:
            raise ApiRefusal(
                "Keys for idempotent requests can only be used with the same parameters they "
                f"were first used with. Try using a key other than '{key}' if you meant to "
                "execute a different request.",
                kind="idempotency_error",
            )
        return stored

    def store(self, key: str, answer: StoredAnswer) -> None:
        self._by_key[key] = answer
