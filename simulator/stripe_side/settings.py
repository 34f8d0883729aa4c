"""The simulated account's billing settings: how Stripe retries a failed renewal, and what it
does to the subscription when the last retry fails too.

Real Stripe keeps these per account (Dashboard, Billing > Revenue recovery); the simulator keeps
them per customer, so each scenario can choose its own while sharing one simulated account.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# What happens to the subscription once the retries are exhausted.
FinalAction = Literal["cancel", "unpaid", "past_due"]
# What happens when a trial ends and no payment method can pay the first invoice.
MissingPaymentMethod = Literal["create_invoice", "pause", "cancel"]


@dataclass(frozen=True, slots=True)
class BillingSettings:
    """A custom retry schedule (Smart Retries' machine-learned times cannot be reproduced)."""

    # BEHAVIOUR: dunning.retry-schedule
    retry_days: tuple[int, ...] = (3, 5, 7)
    # BEHAVIOUR: dunning.final-action
    after_final_retry: FinalAction = "cancel"


DEFAULT_BILLING_SETTINGS = BillingSettings()
