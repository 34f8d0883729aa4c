"""A Checkout Session fetched from Stripe, with what it bought, stored as its events store it.

The session comes with its subscription (and the subscription's card), its invoice, its payment
intent's card and its line items expanded. Each object goes through its own family's handler,
all in one transaction, at the version `ordering` gives a fetched snapshot: the latest moment the
objects record, so the write converges with the session's events in whatever order, and however
often, they arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tortoise.transactions import in_transaction

from services.connections import WRITE_CONNECTION
from services.mirror.handlers.base import Family, Snapshot, section
from services.mirror.handlers.checkout import CHECKOUT_SESSIONS
from services.mirror.handlers.invoices import INVOICES
from services.mirror.handlers.payment_methods import PAYMENT_METHODS
from services.mirror.handlers.subscriptions import SUBSCRIPTIONS
from services.mirror.ordering import Phase, fetched_version
from services.stripe_gateway import StripeGateway

# What a confirmation needs besides the session, fetched with it in one call.
EXPANSIONS = (
    "subscription.default_payment_method",
    "invoice",
    "payment_intent.payment_method",
    "line_items",
)
# Fields that record a moment already past when Stripe answers (never one still to come, such as
# `expires_at`, `cancel_at` or `current_period_end`).
PAST_MOMENTS = frozenset(
    {
        "created",
        "start_date",
        "current_period_start",
        "trial_start",
        "canceled_at",
        "ended_at",
        "finalized_at",
        "paid_at",
        "voided_at",
        "marked_uncollectible_at",
    }
)


def latest_moment(snapshot: Any) -> int:
    """The latest past moment recorded anywhere in `snapshot` and the objects it expands."""
    return max(_moments(snapshot), default=0)


def _moments(node: Any) -> Iterator[int]:
    if isinstance(node, list):
        for item in node:
            yield from _moments(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in PAST_MOMENTS and isinstance(value, int) and not isinstance(value, bool):
                yield value
            else:
                yield from _moments(value)


def _parts(session: Snapshot) -> list[tuple[Family, Snapshot]]:
    """The session, and each expanded object a family stores."""
    parts: list[tuple[Family, Snapshot]] = [(CHECKOUT_SESSIONS, session)]
    subscription = session.get("subscription")
    if isinstance(subscription, dict):
        parts.append((SUBSCRIPTIONS, subscription))
    invoice = session.get("invoice")
    if isinstance(invoice, dict):
        parts.append((INVOICES, invoice))
    card = section(session, "payment_intent").get("payment_method")
    if isinstance(card, dict):
        parts.append((PAYMENT_METHODS, card))
    return parts


async def store_fetched_checkout(stripe: StripeGateway, session: Snapshot) -> set[str]:
    """Store a completed session fetched with `EXPANSIONS`; returns whose billing it wrote, as
    billing-change topics."""
    completed = await CHECKOUT_SESSIONS.complete(stripe, session)
    parts = _parts(completed)
    moment = latest_moment(completed)
    async with in_transaction(WRITE_CONNECTION) as connection:
        for family, snapshot in parts:
            version = fetched_version(moment, family.state_rank(snapshot))
            await family.apply(connection, snapshot, version, Phase.CHANGED)
    return {topic for family, snapshot in parts for topic in family.owners(snapshot)}
