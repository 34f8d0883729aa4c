"""The newer-wins rule that makes every delivery order converge to the in-order mirror.

Stripe neither orders nor deduplicates deliveries, so each mirror row remembers the version of
the snapshot it holds and a snapshot replaces it only when its version is strictly greater.
A version is the triple (created, rank, event_id), compared in that order:

1. `created`: the event's `created` second.
2. `rank`: a tie-break for events of the same second, `phase * 100 + state rank`. The phase comes
   from the event type (`*.created` 1, any change 2, `*.deleted` or a detached card 3), so a
   deletion is never undone by an update of the same second; the state rank follows the object's
   life cycle (a canceled subscription outranks an active one, a paid invoice an open one).
3. `event_id`: the last resort, so that even two same-second, same-rank snapshots resolve the
   same way whatever order they arrive in.

A lifecycle that loops back within one second (active, past_due, active again) cannot be ordered
by any rank: real Stripe events of one object are seconds apart, and the simulator must also
give each step its own second.

`billing-portal sync` reads the objects as they are now. Its snapshots take the version
(fetch start - SYNC_MARGIN_SECONDS, SYNC rank, ""), which beats every event older than the margin
(the fetched state already includes them) and loses to every event of the last minute, whose
own snapshots then converge among themselves; the margin absorbs clock skew between Stripe and
this host.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

PHASE_WEIGHT = 100
SYNC_MARGIN_SECONDS = 60


class Phase(IntEnum):
    CREATED = 1
    CHANGED = 2
    ENDED = 3
    SYNC = 9


@dataclass(frozen=True, slots=True, order=True)
class Version:
    created: int
    rank: int
    event_id: str


def event_version(*, created: int, event_id: str, phase: Phase, state_rank: int) -> Version:
    return Version(created=created, rank=phase * PHASE_WEIGHT + state_rank, event_id=event_id)


def sync_version(fetch_started: int) -> Version:
    return Version(
        created=fetch_started - SYNC_MARGIN_SECONDS, rank=Phase.SYNC * PHASE_WEIGHT, event_id=""
    )


def phase_of(event_type: str) -> Phase:
    """`*.created` opens an object's life, `*.deleted` (and a card's detachment) ends it."""
    action = event_type.rsplit(".", 1)[-1]
    if action == "created":
        return Phase.CREATED
    if action in {"deleted", "detached"}:
        return Phase.ENDED
    return Phase.CHANGED
