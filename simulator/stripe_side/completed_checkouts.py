"""The account's completed Checkout Sessions, as the API answers a request for one.

A service confirming the session its customer came back with retrieves it, with what it bought
expanded (`GET /v1/checkout/sessions/{id}?expand[]=...`). stripe-mock answers that with a
fixture that belongs to nobody, so the account keeps each completed session as Checkout
rendered it, with a way to find the objects it names in its customer's graph as they are now;
the API recorder answers from here once stripe-mock has validated the request.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.stripe_side.expansion import Finder, expand_ids
from simulator.stripe_side.objects import StripeObject


@dataclass(frozen=True, slots=True)
class _Completed:
    session: StripeObject
    find: Finder


class CompletedCheckouts:
    def __init__(self) -> None:
        self._by_id: dict[str, _Completed] = {}

    def record(self, session: StripeObject, find: Finder) -> None:
        """A session just completed; `find` finds what it names in its customer's graph."""
        # BEHAVIOUR: checkout.retrieve-expanded
        self._by_id[session["id"]] = _Completed(session, find)

    def retrieve(self, session_id: str, paths: Iterable[str]) -> StripeObject | None:
        """The session with the ids `paths` name expanded, or None for a session this account
        never completed."""
        completed = self._by_id.get(session_id)
        if completed is None:
            return None
        return expand_ids(copy.deepcopy(completed.session), paths, completed.find)
