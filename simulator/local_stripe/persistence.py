"""The local account kept on disk between runs, so a restart remembers its customers.

The service's database outlives a restart of `make run`; without this, every customer it names
would be unknown to a fresh local Stripe. The file is the account's own objects, pickled
(written and read by this program only, never exchanged); one written by another version of
the code, or damaged, is set aside and the account starts empty.
"""

from __future__ import annotations

import logging
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

from simulator.local_stripe.configurations import ConfigurationRecords
from simulator.local_stripe.sessions import CheckoutSession, PortalSession
from simulator.stripe_side.portal_configurations import PortalConfigurations
from simulator.stripe_side.state import CustomerState

log = logging.getLogger(__name__)

# Raised whenever the pickled classes change shape: an older file is then set aside.
FORMAT = 2


@dataclass
class AccountSnapshot:
    """Everything the account holds, and the moment it was saved."""

    run: str
    next_serial: int
    saved_at: int
    catalog_created: int
    customers: list[CustomerState]
    checkouts: list[CheckoutSession]
    portals: list[PortalSession]
    configuration_records: ConfigurationRecords
    portal_configurations: PortalConfigurations
    trial_warned: set[str]
    format: int = FORMAT


def encode(snapshot: AccountSnapshot) -> bytes:
    return pickle.dumps(snapshot)


def write(path: Path, data: bytes) -> None:
    """Replace the file at once (a crash mid-write leaves the previous one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def read(path: Path) -> AccountSnapshot | None:
    """The saved account, or None when there is none (or none this code can read)."""
    if not path.is_file():
        return None
    try:
        # The file is this program's own output, in the developer's working tree.
        snapshot = pickle.loads(path.read_bytes())  # noqa: S301
    except Exception as error:  # whatever unpickling raised: start afresh
        _set_aside(path, f"unreadable ({type(error).__name__})")
        return None
    if not isinstance(snapshot, AccountSnapshot) or snapshot.format != FORMAT:
        _set_aside(path, "written by another version")
        return None
    return snapshot


def _set_aside(path: Path, why: str) -> None:
    aside = path.with_name(f"{path.name}.old")
    os.replace(path, aside)
    log.warning("the local Stripe's saved account %s is %s: moved to %s", path, why, aside)
