"""Mutants no scenario kills, each with the reason; a survivor not listed here fails the check.

Two kinds of reason, both claims about Stripe as the simulator's behaviour reference
(`simulator/stripe_side/BEHAVIOUR.md`) records it, not about the scenarios:

- EQUIVALENT: the service behaves the same with the mutant under every behaviour the reference
  models: the dropped event always arrives with a twin carrying the same snapshot, or carries
  nothing the mirror keeps.
- BEYOND_THE_REFERENCE: only a Stripe behaviour the reference does not model (so no scenario can
  play it) tells the mutant apart; the named webhook test plays that behaviour directly.

A listed mutant that a scenario does kill is reported as stale: remove it from here.
"""

from __future__ import annotations

_PAID_TWINS = (
    "the paid snapshot arrives three times in one burst, as invoice.updated, invoice.paid and "
    "invoice.payment_succeeded (rows checkout.subscription.events, renewal.payment-succeeded, "
    "checkout.payment.invoice-creation lists paid and payment_succeeded), so any one of them can "
    "be lost"
)
_CUSTOMER_LINKED_AT_CREATION = (
    "the service creates every customer itself, linked to its user, before Checkout opens (row "
    "customer.created), and this event's only mirrored fact is that link; the subscription, its "
    "invoice and its card arrive through their own events (row checkout.subscription.events)"
)

EQUIVALENT: dict[str, str] = {
    "drop checkout.session.expired": _CUSTOMER_LINKED_AT_CREATION,
    "drop customer.created": (
        "the service stores the customer and its user link when it creates the customer, and "
        "the created snapshot has no default card (row customer.created); the viewer's card "
        "comes from customer.updated or the subscription's own card"
    ),
    "drop customer.subscription.paused": (
        "the paused snapshot also arrives as customer.subscription.updated in the same burst "
        "(row trial.end-missing-pm.pause)"
    ),
    "drop customer.subscription.trial_will_end": (
        "the event announces, it changes nothing: its snapshot is the subscription as the last "
        "event left it (row trial.will-end)"
    ),
    "drop invoice.created": (
        "every invoice.created snapshot is a draft (rows checkout.subscription.events, "
        "renewal.boundary), which the viewer does not list; an invoice is listed from "
        "invoice.finalized on"
    ),
    "drop invoice.paid": _PAID_TWINS,
    "drop invoice.payment_succeeded": _PAID_TWINS,
    "drop invoice.updated": (
        "each invoice.updated the reference sends has a twin with the same snapshot in its "
        "burst: invoice.paid when a payment succeeds, invoice.payment_failed when it fails "
        "(rows renewal.payment-succeeded, renewal.payment-failed, dunning.retry-schedule), "
        "invoice.finalized or invoice.paid during Checkout"
    ),
    "drop invoice.payment_failed": (
        "the open snapshot of a failed attempt also arrives as invoice.updated in the same burst "
        "(rows renewal.payment-failed, dunning.retry-schedule)"
    ),
}

BEYOND_THE_REFERENCE: dict[str, str] = {
    "rule: reverse the same-second ranking of charges": (
        "a charge refunded in full outranks a partial refund of the same second; the reference "
        "refunds once, in full (row refund.full); tests/access/test_purchases.py plays a partial "
        "and a full refund in one second"
    ),
    "rule: reverse the same-second ranking of checkout": (
        "a paid session outranks an unpaid one of the same second, and the reference completes "
        "each session once, paid (rows checkout.subscription.events, checkout.payment.events), "
        "modelling no asynchronous payment; tests/access/test_purchases.py plays one in either "
        "order"
    ),
    "rule: reverse the same-second ranking of subscriptions": (
        "the rank orders two snapshots of one subscription in one second and one phase; every "
        "burst of the reference changes a subscription at most once (created and deleted are "
        "ordered by their phase); tests/webhooks/test_ordering.py plays such pairs"
    ),
    "rule: reverse the same-second ranking of payment_methods": (
        "a detach outranks an attach of the same second, and no burst of the reference detaches "
        "a card (row portal.card-update); tests/webhooks/test_ordering.py plays it"
    ),
    "rule: reverse the same-second ranking of customers": (
        "a deletion, or a default card, outranks a same-second snapshot without; the reference "
        "never deletes a customer and sets a default card only in a burst of its own (row "
        "portal.card-update); tests/webhooks/test_ordering.py plays such pairs"
    ),
    "freeze Subscription.price_nickname": (
        "the stored nickname is read only when the subscription's product is renamed "
        "(plan_names.refresh_plan_names), and the reference renames no product; "
        "tests/webhooks/test_handlers.py plays renames"
    ),
}
