"""The eight journeys of the contract, each a short script: what the customer does, then what
the app must show them (read back through GraphQL) once Stripe's webhooks have arrived.

To write a new one: add a `Scenario` of `Step(description, verb, expected State)` to SCENARIOS,
building each expected state from the previous one with `.but(...)`. Verbs live in
simulator.journey; days count from the journey's start on the simulated clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.expectations import State, invoice, subscribed
from simulator.journey import (
    Action,
    abandon_checkout,
    billing_period_ends,
    buy_once,
    cancel_in_portal,
    card_declined_at_renewal,
    subscribe,
    switch_plan_in_portal,
    trial_ends,
    update_card_in_portal,
)
from simulator.stripe_side.catalog import CARDS, build_catalog


@dataclass(frozen=True, slots=True)
class Step:
    description: str
    action: Action
    expect: State


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    summary: str
    steps: tuple[Step, ...]


# Names and amounts for the scripts; every run mints its own ids for the same offers.
OFFERS = build_catalog("offers")
BASIC, PRO, SETUP = OFFERS["basic"], OFFERS["pro"], OFFERS["setup"]
VISA, MASTERCARD = CARDS["visa"].label, CARDS["mastercard"].label

on_basic = subscribed(BASIC, VISA)
on_basic_cancelling = on_basic.but(cancel_at_period_end=True, canceled_on_day=1)
on_pro = on_basic.but(plan=PRO.nickname, quantity=2)
past_due = on_basic.but(
    status="PAST_DUE",
    active=False,
    period_end_day=60,
    invoices=(invoice("open", 900), *on_basic.invoices),
)
trialing = subscribed(PRO, VISA, trial_days=14)

SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            "subscribe_then_cancel_in_portal",
            "Buys Basic, cancels in the portal at period end, and the period ends.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "cancels at period end in the portal",
                    cancel_in_portal(at_period_end=True),
                    on_basic_cancelling,
                ),
                Step(
                    "reaches the end of the paid period",
                    billing_period_ends,
                    on_basic_cancelling.but(status="CANCELED", active=False),
                ),
            ),
        ),
        Scenario(
            "switch_plan_in_portal",
            "Buys Basic, switches to two seats of Pro in the portal, and is billed for Pro.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "switches to Pro with 2 seats in the portal",
                    switch_plan_in_portal("pro", quantity=2),
                    on_pro,
                ),
                Step(
                    "is billed for Pro at renewal",
                    billing_period_ends,
                    on_pro.but(
                        period_end_day=60, invoices=(invoice("paid", 5800), *on_pro.invoices)
                    ),
                ),
            ),
        ),
        Scenario(
            "update_card_in_portal",
            "Buys Basic with a Visa card, replaces it with a Mastercard, and renews on it.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "replaces the card with a Mastercard in the portal",
                    update_card_in_portal("mastercard"),
                    on_basic.but(card=MASTERCARD),
                ),
                Step(
                    "renews on the new card",
                    billing_period_ends,
                    on_basic.but(
                        card=MASTERCARD,
                        period_end_day=60,
                        invoices=(invoice("paid", 900), *on_basic.invoices),
                    ),
                ),
            ),
        ),
        Scenario(
            "payment_failure_then_recovery",
            "The renewal charge is declined, then the customer fixes the card in the portal.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step("has the renewal charge declined", card_declined_at_renewal, past_due),
                Step(
                    "updates the card in the portal, which pays the open invoice",
                    update_card_in_portal("mastercard"),
                    past_due.but(
                        status="ACTIVE",
                        active=True,
                        card=MASTERCARD,
                        invoices=(invoice("paid", 900), invoice("paid", 900)),
                    ),
                ),
            ),
        ),
        Scenario(
            "trial_then_active",
            "Starts a 14-day trial of Pro, which converts into a paid subscription.",
            (
                Step(
                    "starts a 14-day trial of Pro",
                    subscribe("pro", trial_days=14),
                    trialing,
                ),
                Step(
                    "reaches the end of the trial and pays",
                    trial_ends,
                    trialing.but(
                        status="ACTIVE",
                        period_end_day=44,
                        invoices=(invoice("paid", 2900), *trialing.invoices),
                    ),
                ),
            ),
        ),
        Scenario(
            "abandoned_checkout",
            "Opens Checkout for Basic and walks away, then comes back and subscribes.",
            (
                Step("opens Checkout for Basic and walks away", abandon_checkout("basic"), State()),
                Step("comes back and subscribes to Basic", subscribe("basic"), on_basic),
            ),
        ),
        Scenario(
            "one_time_purchase",
            "Buys the one-time setup session: one paid invoice, nothing recurring or active, no "
            "card kept.",
            (
                Step(
                    "buys the setup session once",
                    buy_once("setup"),
                    State(invoices=(invoice("paid", SETUP.unit_amount, SETUP.currency),)),
                ),
            ),
        ),
        Scenario(
            "immediate_cancel",
            "Buys Basic and cancels it immediately in the portal.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "cancels immediately in the portal",
                    cancel_in_portal(at_period_end=False),
                    on_basic.but(status="CANCELED", active=False, canceled_on_day=1),
                ),
            ),
        ),
    )
}
