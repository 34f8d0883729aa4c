"""What falls due as the local Stripe's time passes, customer by customer.

Stripe's billing runs on its own: a trial is about to end, a trial or a period ends, a failed
payment is retried, an unpaid Checkout Session expires. The local Stripe does these when its
clock reaches them, earliest first across every customer, each through the same Stripe-side
step a scripted journey takes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from simulator.local_stripe.sessions import CheckoutSession
from simulator.stripe_side.billing import trial_warning_at
from simulator.stripe_side.customer import StripeCustomer

# A subscription in one of these renews at its period end (or ends, if scheduled to).
RENEWING = frozenset({"active", "past_due", "unpaid"})


@dataclass(frozen=True, slots=True)
class Due:
    """Something Stripe does at `moment`."""

    moment: int
    what: str
    run: Callable[[], Awaitable[object]]


def customer_due(customer: StripeCustomer, trial_warned: set[str]) -> list[Due]:
    """What one customer's subscription has coming: its trial warning, the end of its trial or
    period, the next retry of a failed payment. `trial_warned` names the subscriptions whose
    warning went out (it is sent once)."""
    graph = customer.graph
    if graph is None:
        return []
    due: list[Due] = []
    retry = customer.next_retry_at()
    if retry is not None:
        due.append(Due(retry, "a failed payment is retried", customer.retry_payment))
    subscription = graph.subscription
    if subscription is None:
        return due
    scheduled = subscription.scheduled_end
    if subscription.status == "trialing" and subscription.trial_end is not None:
        warning = trial_warning_at(subscription)
        if warning > subscription.created and subscription.id not in trial_warned:

            async def warn() -> None:
                trial_warned.add(subscription.id)
                await customer.warn_trial_ending()

            due.append(Due(warning, "the trial is about to end", warn))
        elif scheduled is not None and scheduled <= subscription.trial_end:
            due.append(Due(scheduled, "the trial ends as scheduled", customer.reach_period_end))
        else:
            due.append(Due(subscription.trial_end, "the trial ends", customer.finish_trial))
    elif subscription.status in RENEWING:
        end = min(subscription.period_end, scheduled or subscription.period_end)
        due.append(Due(end, "the period ends", customer.end_billing_period))
    return due


def checkout_expiry(
    session: CheckoutSession, expire: Callable[[CheckoutSession], Awaitable[object]]
) -> Due:
    """An open Checkout Session expires at its `expires_at`."""
    # BEHAVIOUR: checkout.expired

    async def run() -> None:
        await expire(session)

    return Due(session.expires_at, "a Checkout Session expires", run)
