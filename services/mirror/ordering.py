"""The newer-wins rule that makes every delivery order converge to the in-order mirror.

Stripe neither orders nor deduplicates deliveries, so each mirror row remembers the version of
the snapshot it holds and a snapshot replaces it only when its version is strictly greater.
A version is the triple (created, rank, event_id), compared in that order:

1. `created`: the event's `created` second.
2. `rank`: a tie-break for events of the same second, `phase * 100 + state rank`. The phase comes
   from the event type (`*.created` 1, any change 2, `*.deleted` or a detached card 3), so a
   deletion is never undone by an update of the same second. The state rank is read from the
   object's own fields (each family's `state_rank`), because one action of a customer (Checkout
   completion sends about ten events in one second) arrives in any order and `created` cannot
   tell its snapshots apart:
   - subscription: its status along the life cycle (incomplete, trialing, active, past_due or
     paused, unpaid, canceled), then a scheduled end (`cancel_at` or `cancel_at_period_end`)
     after none;
   - invoice: its status, which only moves forward (draft, open, uncollectible, paid or void);
   - payment method: detached (no `customer`) after attached, as Stripe never attaches a
     detached payment method again;
   - customer: `deleted` after everything, then a default card
     (`invoice_settings.default_payment_method`) after none, as the default starts unset and is
     cleared only by a later request than the one that set it;
   - checkout session: paid after unpaid, as a payment only moves forward;
   - charge: refunded in full after not, as a refund is never undone;
   - products, prices and entitlement summaries: none.
3. `event_id`: the last resort, so that even two same-second, same-rank snapshots resolve the
   same way whatever order they arrive in.

What the fields cannot order within one second is left to the event id: a lifecycle that loops
back (active, past_due, active again), a customer's default card changed twice, a card's details
changed twice. Real Stripe events of one object that differ so are seconds apart (separate
requests), and the simulator must also give each such step its own second.

An object expanded inside another's snapshot (a subscription's `default_payment_method`) is a
snapshot of it at the same moment: it takes its carrier's second and event id, ranked as a change
by its own family.

`billing-portal sync` reads the objects as they are now. Its snapshots take the version
(fetch start - SYNC_MARGIN_SECONDS, SYNC rank, ""), which beats every event older than the margin
(the fetched state already includes them) and loses to every event of the last minute, whose
own snapshots then converge among themselves; the margin absorbs clock skew between Stripe and
this host.

A Checkout Session the browser came back with (`confirmCheckout`) is fetched by id with what it
bought expanded, and written before its events may have arrived, so its snapshots must neither
undo an event the mirror already holds that is newer than the fetch, nor keep out one that comes
later, nor be undone by a late event that the fetch already includes. This host's clock cannot
place the fetch among events: it is skewed from Stripe's, and the simulated Stripes keep a time
line of their own. The snapshots themselves can: the latest moment they record as past
(`created`, a subscription's start, period start, trial start, cancellation and end, an
invoice's status transitions) is Stripe's own time, no later than the fetch. A fetched
snapshot takes the version (that second, CHANGED rank with its own state rank, ""):
- an event of an earlier second is already in the fetched state, and loses to it: a
  `customer.subscription.created` still `incomplete` that arrives late does not take back the
  plan just paid for;
- an event of a later second wins, so a fetched snapshot never blocks a newer change;
- an event of the same second is ordered against it by the life cycle, as events of one second
  are among themselves, and wins a full tie (the empty event id sorts first): same stage, same
  state.
Fetching the same objects again gives the same version, so a second confirmation writes nothing.
A change that records no moment of its own (a scheduled cancellation's flag) is not missed
either: its event is of a later second than the moments the snapshot records, and replaces it.
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


def fetched_version(recorded: int, state_rank: int) -> Version:
    """The version of a snapshot fetched by id whose objects record `recorded` as their latest
    moment (see the module)."""
    return event_version(created=recorded, event_id="", phase=Phase.CHANGED, state_rank=state_rank)


def embedded_version(carrier: Version, state_rank: int) -> Version:
    """The version of an object expanded inside a snapshot of version `carrier`."""
    if carrier.rank >= Phase.SYNC * PHASE_WEIGHT:
        return carrier
    return event_version(
        created=carrier.created,
        event_id=carrier.event_id,
        phase=Phase.CHANGED,
        state_rank=state_rank,
    )


def phase_of(event_type: str) -> Phase:
    """`*.created` opens an object's life, `*.deleted` (and a card's detachment) ends it."""
    action = event_type.rsplit(".", 1)[-1]
    if action == "created":
        return Phase.CREATED
    if action in {"deleted", "detached"}:
        return Phase.ENDED
    return Phase.CHANGED
