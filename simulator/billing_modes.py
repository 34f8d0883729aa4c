"""Billing modes: how Stripe schedules a subscription's cancellations and credits prorations.

A run chooses the mode its simulated account's Checkout subscriptions get, so every scenario
can be played in both; flexible is Stripe's default for new subscriptions. This module imports
nothing heavy: the command line reads its choices.
"""

from __future__ import annotations

from typing import Literal, get_args

BillingMode = Literal["flexible", "classic"]
BILLING_MODES: tuple[BillingMode, ...] = get_args(BillingMode)
# BEHAVIOUR: mode.flexible-default
DEFAULT_BILLING_MODE: BillingMode = "flexible"
