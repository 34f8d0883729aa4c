"""The state a customer should see after a step, and what the service actually shows them.

Both sides become the same flat record (plan by catalog name, dates as days since the journey
began, ids as roles), so a comparison is one dict equality and a failure reads as
"expected X, the service returned Y".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.naming import Roles
from simulator.stripe_side.catalog import Card, CatalogPrice
from simulator.stripe_side.clock import SimClock

THE_SUBSCRIPTION = "the subscription"


@dataclass(frozen=True, slots=True)
class State:
    """What `viewer` should say; `but(...)` derives the next step's state from this one."""

    customer: bool = True
    subscription: str | None = None
    status: str | None = None
    plan: str | None = None
    quantity: int | None = None
    cancel_at_period_end: bool | None = None
    cancel_at_day: int | None = None
    period_end_day: int | None = None
    trial_end_day: int | None = None
    canceled_on_day: int | None = None
    active: bool = False
    card: str | None = None
    subscription_card: str | None = None
    invoices: tuple[str, ...] = ()
    # The access groups the viewer is in (simulator.access names), and the lookup keys of
    # the Stripe features they are entitled to, both in order.
    access_groups: tuple[str, ...] = ("visitors",)
    entitlements: tuple[str, ...] = ()

    def but(self, **changes: Any) -> State:
        return dataclasses.replace(self, **changes)

    def as_dict(self) -> dict[str, Any]:
        return {field.name: _plain(getattr(self, field.name)) for field in dataclasses.fields(self)}


def subscribed(
    plan: CatalogPrice, card: Card, *, quantity: int = 1, on_day: int = 0, trial_days: int = 0
) -> State:
    """The state right after a successful subscription checkout: Checkout keeps the card on
    the subscription, and the viewer's card falls back to it."""
    period_days = trial_days or 30
    amount = 0 if trial_days else plan.unit_amount * quantity
    return State(
        subscription=THE_SUBSCRIPTION,
        status="TRIALING" if trial_days else "ACTIVE",
        plan=plan.nickname,
        quantity=quantity,
        cancel_at_period_end=False,
        period_end_day=on_day + period_days,
        trial_end_day=on_day + trial_days if trial_days else None,
        active=True,
        card=card.label,
        subscription_card=short_label(card),
        invoices=(invoice("paid", amount, plan.currency),),
    )


def short_label(card: Card) -> str:
    """A card as a subscription row shows it (brand and last four digits)."""
    return _brand_last4(card.brand, card.last4)


def _brand_last4(brand: object, last4: object) -> str:
    return f"{brand} {last4}"


def invoice(status: str, amount: int, currency: str = "usd") -> str:
    paid = amount if status == "paid" else 0
    return f"{status} {paid}/{amount} {currency}"


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def observe(
    viewer: dict[str, Any],
    *,
    subscription_id: str | None,
    catalog: dict[str, CatalogPrice],
    roles: Roles,
    clock: SimClock,
    access_groups: Mapping[str, str],
) -> State:
    """Read a `viewer` answer into a State, naming everything the way the scripts do; only
    this run's access groups (by their key in `access_groups`) are the journey's."""
    subscriptions = viewer.get("subscriptions") or []
    method = viewer.get("defaultPaymentMethod")
    invoices = tuple(
        f"{row['status']} {row['amountPaid']}/{row['amountDue']} {row['currency']}"
        # Every invoice the viewer lists is issued, so Stripe hosts a page for it.
        + ("" if row.get("hostedInvoiceUrl") else " without its hosted page")
        for row in viewer.get("invoices") or []
    )
    base = State(
        customer=viewer.get("customerId") is not None,
        active=bool(viewer.get("hasActiveSubscription")),
        card=_card(method) if method else None,
        invoices=invoices,
        access_groups=tuple(
            sorted(
                access_groups[key]
                for key in viewer.get("accessGroups") or []
                if key in access_groups
            )
        ),
        entitlements=tuple(viewer.get("entitlements") or []),
    )
    if not subscriptions:
        return base
    if len(subscriptions) > 1:
        names = ", ".join(_name(row["id"], subscription_id, roles) for row in subscriptions)
        return base.but(subscription=f"{len(subscriptions)} subscriptions ({names})")
    row = subscriptions[0]
    own_card = row.get("defaultPaymentMethod")
    return base.but(
        subscription=_name(row["id"], subscription_id, roles),
        status=row["status"],
        plan=_plan(row, catalog),
        quantity=row["quantity"],
        cancel_at_period_end=row["cancelAtPeriodEnd"],
        cancel_at_day=_day(row.get("cancelAt"), clock),
        period_end_day=_day(row.get("currentPeriodEnd"), clock),
        trial_end_day=_day(row.get("trialEnd"), clock),
        canceled_on_day=_day(row.get("canceledAt"), clock),
        subscription_card=_brand_last4(own_card["brand"], own_card["last4"]) if own_card else None,
    )


def differences(expected: State, observed: State) -> list[str]:
    wanted, got = expected.as_dict(), observed.as_dict()
    return [
        f"expected {key}={wanted[key]!r}, the service returned {got[key]!r}"
        for key in wanted
        if wanted[key] != got[key]
    ]


def _name(object_id: str, ours: str | None, roles: Roles) -> str:
    return THE_SUBSCRIPTION if object_id == ours else str(roles.of(object_id))


def _card(method: dict[str, Any]) -> str:
    month, year = method.get("expMonth") or 0, method.get("expYear") or 0
    return f"{method.get('brand')} {method.get('last4')} {month:02d}/{year}"


def _plan(row: dict[str, Any], catalog: dict[str, CatalogPrice]) -> str:
    """The catalog nickname of the price, noting a plan name that belongs to no catalog entry."""
    entry = next((e for e in catalog.values() if e.price_id == row.get("priceId")), None)
    if entry is None:
        return "a price the simulator never published"
    if row.get("planName") not in {entry.nickname, entry.product_name}:
        return f"{entry.nickname} (planName {row.get('planName')!r})"
    if row.get("productId") != entry.product_id:
        owner = next((e for e in catalog.values() if e.product_id == row.get("productId")), None)
        return f"{entry.nickname} (productId of {owner.product_name if owner else 'no product'})"
    return entry.nickname


def _day(value: str | None, clock: SimClock) -> int | None:
    if value is None:
        return None
    return clock.day_of(int(datetime.fromisoformat(value).timestamp()))
