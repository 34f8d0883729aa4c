"""The garbage collector set for a long-running server, once start-up is over.

What start-up builds (modules, the GraphQL schema, the ORM's metadata, the services) lives as
long as the process; left in the collector's generations, every full collection walks all of
it again, pausing the event loop for up to a few hundred milliseconds under load. Freezing it
leaves the collections only what requests create. Requests create many short-lived
containers (a parsed Stripe event is hundreds), most freed by reference counting alone: a
higher threshold for the young generation runs collections far less often, each over what
in-flight requests still hold, which is all they would have found anyway.
"""

from __future__ import annotations

import gc

YOUNG_GENERATION_THRESHOLD = 10_000


def settle_after_startup() -> None:
    gc.collect()  # start-up's own garbage is freed, not frozen
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)
