"""The customer journeys, each a short script: what the customer does, then what
the app must show them (read back through GraphQL) once Stripe's webhooks have arrived.

To write a new one: add a `Scenario` of `Step(description, verb, expected State)` to SCENARIOS,
building each expected state from the previous one with `.but(...)`. Verbs live in
simulator.journey; days count from the journey's start on the simulated clock.

A run plays the scripts with the service's past-due grace off, or on for PAST_DUE_GRACE_DAYS
(`SimulationConfig.past_due_grace`): a step within that long of the first failed payment of a
past-due subscription says what it shows then in `expect_within_grace`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from simulator.expectations import State, invoice, subscribed
from simulator.journey import (
    Action,
    abandon_checkout,
    billing_period_ends,
    buy_once,
    cancel_in_portal,
    card_declined_at_renewal,
    change_quantity_in_portal,
    days_pass,
    draft_hour_passes,
    payment_retries_run_out,
    payment_retry_fails,
    period_ends_with_a_draft_invoice,
    refunded_in_full,
    renew_in_portal,
    start_trial_without_card,
    subscribe,
    switch_plan_in_portal,
    trial_ends,
    update_card_in_portal,
)
from simulator.stripe_side.catalog import CARDS, build_catalog
from simulator.stripe_side.settings import (
    DEFAULT_BILLING_SETTINGS,
    BillingSettings,
    MissingPaymentMethod,
)

# The past-due grace a run may give the service: shorter than the 3 days to the first retry of
# a declined renewal, so a dunning journey is seen inside the grace and after it.
PAST_DUE_GRACE_DAYS = 2


@dataclass(frozen=True, slots=True)
class Step:
    description: str
    action: Action
    expect: State
    # What the step shows instead when the service gives past-due subscriptions their grace and
    # the step falls within it; None when the grace changes nothing here.
    expect_within_grace: State | None = None

    def expected(self, *, past_due_grace: bool) -> State:
        if past_due_grace and self.expect_within_grace is not None:
            return self.expect_within_grace
        return self.expect


@dataclass(frozen=True, slots=True)
class Scenario:
    """A journey; `stripe_settings` are the simulated account's billing settings it needs
    (how failed renewals are retried and what happens when the retries run out)."""

    name: str
    summary: str
    steps: tuple[Step, ...]
    stripe_settings: BillingSettings = DEFAULT_BILLING_SETTINGS


# Names and amounts for the scripts; every run mints its own ids for the same offers.
OFFERS = build_catalog("offers")
BASIC, PRO, SETUP = OFFERS["basic"], OFFERS["pro"], OFFERS["setup"]
VISA, MASTERCARD = CARDS["visa"], CARDS["mastercard"]

# What the viewer's purchases open to them: the access groups the admin saved (simulator.access;
# a past-due subscription counts for nothing, but within the service's grace when it has one),
# and the Stripe features Basic (reports) and Pro (reports, priority support) entitle them to,
# which Stripe keeps until a subscription ends.
NOTHING_BOUGHT = {"access_groups": ("visitors",), "entitlements": ()}
BASIC_ACCESS = {"access_groups": ("subscribers",), "entitlements": ("reports",)}
PRO_ACCESS = {
    "access_groups": ("pro-members", "subscribers"),
    "entitlements": ("priority-support", "reports"),
}
LAPSED = NOTHING_BOUGHT["access_groups"]
SETUP_BOUGHT = ("setup-buyers",)

on_basic = subscribed(BASIC, VISA).but(**BASIC_ACCESS)
# Either billing mode: scheduled to end at the period end (classic says so with
# cancel_at_period_end, flexible only with cancel_at), and a right app says so in both.
on_basic_cancelling = on_basic.but(cancel_at_period_end=True, cancel_at_day=30, canceled_on_day=1)
# The portal's card update changes only the customer's default card: the viewer shows it, the
# subscription keeps (and is charged on) its Checkout card.
on_basic_new_card = on_basic.but(card=MASTERCARD.label)
# The portal configuration the service saves prorates changes onto the next invoice
# (create_prorations): a change shows no invoice of its own.
HALFWAY = Fraction(1, 2)
on_pro = on_basic.but(plan=PRO.nickname, **PRO_ACCESS)
on_three_seats = on_basic.but(quantity=3)
past_due = on_basic.but(
    status="PAST_DUE",
    active=False,
    period_end_day=60,
    invoices=(invoice("open", 900), *on_basic.invoices),
    access_groups=LAPSED,
)
# Within the grace a past-due subscription still counts: active, and in its plan's groups.
past_due_within_grace = past_due.but(active=True, access_groups=BASIC_ACCESS["access_groups"])
trialing = subscribed(PRO, VISA, trial_days=14).but(**PRO_ACCESS)
# A renewal's draft invoice is not the customer's to see: only the finalized one is listed.
renewing_on_draft = on_basic.but(period_end_day=60)
renewed = on_basic.but(period_end_day=60, invoices=(invoice("paid", 900), *on_basic.invoices))
trialing_without_card = trialing.but(card=None, subscription_card=None)
# The trial's first invoice could not be paid: still Pro's access within the grace.
past_due_after_trial = trialing_without_card.but(
    status="PAST_DUE",
    period_end_day=44,
    invoices=(invoice("open", 2900), *trialing_without_card.invoices),
)

setup_bought = State(
    invoices=(invoice("paid", SETUP.unit_amount, SETUP.currency),), access_groups=SETUP_BOUGHT
)
on_pro_after_setup = subscribed(PRO, VISA).but(
    access_groups=("pro-members", "pro-with-setup", "setup-buyers", "subscribers"),
    entitlements=PRO_ACCESS["entitlements"],
    invoices=(invoice("paid", PRO.unit_amount), *setup_bought.invoices),
)

# The opening of every dunning journey: a Basic subscriber whose first renewal is declined.
declined_at_renewal = (
    Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
    Step(
        "has the renewal charge declined",
        card_declined_at_renewal,
        past_due,
        past_due_within_grace,
    ),
)


def starts_trial_without_card(missing_payment_method: MissingPaymentMethod) -> Step:
    """A 14-day trial of Pro from Checkout without a card, ending as `missing_payment_method`."""
    return Step(
        "starts a 14-day trial of Pro without a card",
        start_trial_without_card(
            "pro", trial_days=14, missing_payment_method=missing_payment_method
        ),
        trialing_without_card,
    )


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
                    on_basic_cancelling.but(status="CANCELED", active=False, **NOTHING_BOUGHT),
                ),
            ),
        ),
        Scenario(
            "reactivate_after_portal_cancel",
            "Buys Basic, cancels at period end in the portal, renews it there the next day, and "
            "is billed for a second period.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "cancels at period end in the portal",
                    cancel_in_portal(at_period_end=True),
                    on_basic_cancelling,
                ),
                Step("renews the subscription in the portal", renew_in_portal(), on_basic),
                Step("is billed for the next period", billing_period_ends, renewed),
            ),
        ),
        Scenario(
            "switch_plan_in_portal",
            "Buys Basic, switches to Pro in the portal halfway through the period, and pays the "
            "prorated difference with the first renewal.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "switches to Pro in the portal halfway through the period",
                    switch_plan_in_portal("pro", into_period=HALFWAY),
                    on_pro,
                ),
                Step(
                    "is billed for Pro and the prorations at renewal",
                    billing_period_ends,
                    # Pro's next period, 2900, plus the prorations: -450 for Basic's unused
                    # half period, +1450 for Pro's remaining half.
                    on_pro.but(
                        period_end_day=60, invoices=(invoice("paid", 3900), *on_pro.invoices)
                    ),
                ),
            ),
        ),
        Scenario(
            "change_quantity_in_portal",
            "Buys one seat of Basic, takes three in the portal halfway through the period, and "
            "pays the prorated seats with the first renewal.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "takes 3 seats in the portal halfway through the period",
                    change_quantity_in_portal(3, into_period=HALFWAY),
                    on_three_seats,
                ),
                Step(
                    "is billed for 3 seats and the prorations at renewal",
                    billing_period_ends,
                    # Three seats' next period, 2700, plus the prorations: -450 for one seat's
                    # unused half period, +1350 for three seats' remaining half.
                    on_three_seats.but(
                        period_end_day=60,
                        invoices=(invoice("paid", 3600), *on_three_seats.invoices),
                    ),
                ),
            ),
        ),
        Scenario(
            "update_card_in_portal",
            "Buys Basic with a Visa card, makes a Mastercard the default in the portal, and "
            "renews (Stripe still charges the subscription's own Visa).",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "makes a Mastercard the default card in the portal",
                    update_card_in_portal("mastercard"),
                    on_basic_new_card,
                ),
                Step("renews", billing_period_ends, renewed.but(card=MASTERCARD.label)),
            ),
        ),
        Scenario(
            "payment_failure_then_card_update",
            "The renewal charge is declined, then the customer adds a new default card in the "
            "portal, which leaves the open invoice to its next retry.",
            (
                *declined_at_renewal,
                Step(
                    # A day after the declined charge: within the grace.
                    "makes a Mastercard the default card in the portal",
                    update_card_in_portal("mastercard"),
                    past_due.but(card=MASTERCARD.label),
                    past_due_within_grace.but(card=MASTERCARD.label),
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
            "renewal_over_two_periods",
            "Buys Basic and renews twice: each renewal is a draft for about an hour, then charged.",
            (
                Step("subscribes to Basic with a Visa card", subscribe("basic"), on_basic),
                Step(
                    "reaches the period end: the renewal invoice is still a draft",
                    period_ends_with_a_draft_invoice,
                    renewing_on_draft,
                ),
                Step("an hour later the renewal is charged", draft_hour_passes, renewed),
                Step(
                    "renews a second time",
                    billing_period_ends,
                    renewed.but(
                        period_end_day=90, invoices=(invoice("paid", 900), *renewed.invoices)
                    ),
                ),
            ),
        ),
        Scenario(
            "dunning_ends_canceled",
            "The renewal is declined and so is every retry; the account cancels the subscription.",
            (
                *declined_at_renewal,
                Step(
                    # Three days after the first failed payment: past the grace.
                    "has the first retry declined three days later",
                    payment_retry_fails,
                    past_due,
                ),
                Step(
                    "has the last retries declined, and is canceled",
                    payment_retries_run_out,
                    past_due.but(status="CANCELED", canceled_on_day=45, entitlements=()),
                ),
            ),
            BillingSettings(after_final_retry="cancel"),
        ),
        Scenario(
            "dunning_ends_unpaid",
            "The renewal and every retry are declined; the account marks the subscription unpaid, "
            "and its next renewal stays a draft.",
            (
                *declined_at_renewal,
                Step(
                    "has every retry declined, and is marked unpaid",
                    payment_retries_run_out,
                    past_due.but(status="UNPAID"),
                ),
                Step(
                    "reaches the next period end: its invoice stays a draft",
                    billing_period_ends,
                    past_due.but(status="UNPAID", period_end_day=90),
                ),
            ),
            BillingSettings(after_final_retry="unpaid"),
        ),
        Scenario(
            "past_due_grace_runs_out",
            "The renewal is declined; with the service's past-due grace the subscriber keeps "
            "access for its two days, and loses it once they are over, with nothing happening "
            "in Stripe.",
            (
                *declined_at_renewal,
                Step(
                    "a day later, is still within the grace",
                    days_pass(1),
                    past_due,
                    past_due_within_grace,
                ),
                Step(
                    "two days after the declined charge, the grace is over", days_pass(1), past_due
                ),
            ),
        ),
        Scenario(
            "trial_without_card_pauses",
            "Starts a 14-day trial of Pro without a card, set to pause without one; it pauses.",
            (
                starts_trial_without_card("pause"),
                Step(
                    "reaches the end of the trial without a card",
                    trial_ends,
                    trialing_without_card.but(status="PAUSED", active=False, access_groups=LAPSED),
                ),
            ),
        ),
        Scenario(
            "trial_without_card_cancels",
            "Starts a 14-day trial of Pro without a card, set to cancel if none is added; it ends.",
            (
                starts_trial_without_card("cancel"),
                Step(
                    "reaches the end of the trial without a card",
                    trial_ends,
                    trialing_without_card.but(
                        status="CANCELED", active=False, canceled_on_day=14, **NOTHING_BOUGHT
                    ),
                ),
            ),
        ),
        Scenario(
            "trial_without_card_invoices",
            "Starts a 14-day trial of Pro without a card, set to invoice anyway; the invoice "
            "cannot be paid and the subscription falls past due.",
            (
                starts_trial_without_card("create_invoice"),
                Step(
                    "reaches the end of the trial without a card",
                    trial_ends,
                    past_due_after_trial.but(active=False, access_groups=LAPSED),
                    past_due_after_trial,
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
            "card kept; the purchase opens its group for good.",
            (
                Step("buys the setup session once", buy_once("setup"), setup_bought),
                Step("still has it a month later", days_pass(30), setup_bought),
            ),
        ),
        Scenario(
            "refund_ends_one_time_purchase",
            "Buys the setup session, then Pro; the setup session is refunded in full, which ends "
            "that purchase (REFUND_ENDS_PURCHASE) and leaves Pro.",
            (
                Step("buys the setup session once", buy_once("setup"), setup_bought),
                Step("subscribes to Pro with a Visa card", subscribe("pro"), on_pro_after_setup),
                Step(
                    "has the setup session refunded in full",
                    refunded_in_full,
                    on_pro_after_setup.but(access_groups=PRO_ACCESS["access_groups"]),
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
                    on_basic.but(
                        status="CANCELED", active=False, canceled_on_day=1, **NOTHING_BOUGHT
                    ),
                ),
            ),
        ),
    )
}
