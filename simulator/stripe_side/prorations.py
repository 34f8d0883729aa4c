"""Stripe's proration rule: what a change in the middle of a period credits and debits.

Stripe prorates to the second: of the period `[start, end]`, the share still to come at the
moment `T` of the change is `(end - T) / (end - start)`. That share of what the period was being
billed at is credited ("Unused time on ..."), and that share of the new price and quantity is
debited ("Remaining time on ..."), one invoice item each, for the service period `[T, end]`.
Which price the credit is for depends on the billing mode: classic credits the item's current
price, flexible the price and quantity the period was last debited at (they differ only after a
change that was not prorated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction

from simulator.stripe_side.catalog import CatalogPrice
from simulator.stripe_side.ids import IdMint
from simulator.stripe_side.state import InvoiceItemState, SubscriptionState


def remaining_share(period_start: int, period_end: int, at: int) -> Fraction:
    """The share of the period `[period_start, period_end]` still to come at `at`."""
    # BEHAVIOUR: proration.amounts (to the second)
    return Fraction(max(0, period_end - at), period_end - period_start)


def prorated(unit_amount: int, quantity: int, share: Fraction) -> int:
    """`share` of a period's amount in whole cents, halves rounded up (Stripe documents no
    rounding rule; this is the usual one for money)."""
    return math.floor(unit_amount * quantity * share + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class PriceChange:
    """A subscription's item moving to `quantity` of `price` at `at`."""

    subscription: SubscriptionState
    price: CatalogPrice
    quantity: int
    at: int

    def credited(self) -> tuple[CatalogPrice, int]:
        """What the unused time is credited at, per billing mode."""
        subscription = self.subscription
        # BEHAVIOUR: proration.amounts (flexible credits what was last debited)
        if subscription.billing_mode == "flexible" and subscription.debited is not None:
            return subscription.debited
        return subscription.price, subscription.quantity

    def proration_items(self, ids: IdMint, serial: int) -> tuple[InvoiceItemState, ...]:
        """The credit for the unused time and the debit for the remaining time."""
        # BEHAVIOUR: proration.amounts
        subscription = self.subscription
        share = remaining_share(subscription.period_start, subscription.period_end, self.at)
        old_price, old_quantity = self.credited()
        after = datetime.fromtimestamp(self.at, UTC).strftime("%d %b %Y")
        lines = (
            ("credit", "Unused time on", old_price, old_quantity, -1),
            ("debit", "Remaining time on", self.price, self.quantity, 1),
        )
        return tuple(
            InvoiceItemState(
                id=ids.mint("ii", f"proration {serial} {kind}"),
                price=price,
                quantity=quantity,
                amount=sign * prorated(price.unit_amount, quantity, share),
                description=f"{what} {quantity} × {price.product_name} after {after}",  # noqa: RUF001
                created=self.at,
                period_start=self.at,
                period_end=subscription.period_end,
                subscription_id=subscription.id,
                subscription_item_id=subscription.item_id,
            )
            for kind, what, price, quantity, sign in lines
        )
