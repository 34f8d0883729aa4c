"""What every object family provides to the dispatcher: how to rank, store and re-fetch it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient

from services.mirror.ordering import Phase, Version
from services.notifications import customer_topic
from services.stripe_gateway import StripeGateway

if TYPE_CHECKING:
    from stripe._v1_services import V1Services


Snapshot = dict[str, Any]
"""A Stripe object as its JSON, from an event, a re-fetch or a sync list."""

# Stripe's largest page: a list the mirror reads in full is read a full page at a time.
PAGE_SIZE = 100


class Apply(Protocol):
    async def __call__(
        self, connection: BaseDBAsyncClient, snapshot: Snapshot, version: Version, phase: Phase
    ) -> None: ...


Retrieve = Callable[["V1Services", str], Awaitable[Any]]
Complete = Callable[[StripeGateway, Snapshot], Awaitable[Snapshot]]
"""Adds to a snapshot what its event does not carry, read from Stripe before the transaction."""
Owners = Callable[[Snapshot], tuple[str, ...]]
"""Whose billing a snapshot belongs to, as billing-change topics (services.notifications)."""


def no_state_rank(_: Snapshot) -> int:
    """Families whose states form no life cycle tie-break on the event id alone."""
    return 0


async def complete_as_sent(_: StripeGateway, snapshot: Snapshot) -> Snapshot:
    """Families whose events carry everything the mirror keeps."""
    return snapshot


def customer_owner(snapshot: Snapshot) -> tuple[str, ...]:
    """Objects that belong to the customer they name."""
    customer_id = id_of(snapshot.get("customer"))
    return (customer_topic(customer_id),) if customer_id else ()


@dataclass(frozen=True, slots=True)
class Family:
    """`retrieve` is None for objects Stripe cannot return by id (an entitlement summary)."""

    apply: Apply
    retrieve: Retrieve | None
    state_rank: Callable[[Snapshot], int] = no_state_rank
    complete: Complete = complete_as_sent
    owners: Owners = customer_owner


def id_of(value: Any) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return None


def moment(value: Any) -> datetime | None:
    """Stripe's unix seconds as an aware datetime."""
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    return None


def is_deleted(snapshot: Snapshot, phase: Phase) -> bool:
    """A `*.deleted` event, or a deleted object's own snapshot (re-fetched or synced)."""
    return phase is Phase.ENDED or snapshot.get("deleted") is True


def listed_objects(snapshot: Snapshot, *path: str) -> list[dict[str, Any]]:
    """The objects of the list object at `path` (the page its snapshot carries), or [] when
    the list is absent or null."""
    data = section(snapshot, *path).get("data")
    return [item for item in data if isinstance(item, dict)] if isinstance(data, list) else []


def section(snapshot: Snapshot, *path: str) -> dict[str, Any]:
    """A nested object, or {} when any step of the path is absent or null."""
    current: Any = snapshot
    for key in path:
        current = current.get(key) if isinstance(current, dict) else None
    return current if isinstance(current, dict) else {}
