"""The mirror: the local copy of Stripe's objects that every read of this service is served from.

Events and `billing-portal sync` both write it through the per-object handlers (`handlers`),
each row replaced only by a newer snapshot (`store`, by the rule in `ordering`). The viewer's
billing reads (`reads`) and the catalog's plans (`plans`) read it; `sync` rebuilds it from
Stripe's lists. What other packages need is exported here.
"""

from services.mirror.handlers import FAMILIES
from services.mirror.handlers.base import Family, Snapshot
from services.mirror.ordering import Phase, Version, event_version, phase_of
from services.mirror.sync import MirrorSync, SyncReport

__all__ = [
    "FAMILIES",
    "Family",
    "MirrorSync",
    "Phase",
    "Snapshot",
    "SyncReport",
    "Version",
    "event_version",
    "phase_of",
]
