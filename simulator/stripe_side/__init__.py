"""The simulated Stripe: hosted Checkout, the Customer Portal and billing, for any driver.

The simulator's scenarios drive it, and so does the local Stripe (simulator/local_stripe/),
whose clickable Checkout and Portal pages call the same actions. Everything it does is checked
by stripe-mock and reaches the service only as signed webhooks.

    side = StripeSide(StripeApi(stripe_mock_url), WebhookEndpoint(http, url, secret), namespace,
                      billing_mode="flexible")          # the mode Checkout gives subscriptions
    await side.publish_catalog()                        # product/price.created for side.catalog
    customer = side.customer_for("customer 1", Roles(), Chaos(None))
    await customer.customer_created(customer_id, user_id, email)  # the service made it
    page = await customer.open_checkout(session_id, side.catalog["basic"], quantity=1,
                                        trial_days=None, ui=CheckoutUi(success_url=...))
    await page.complete(CARDS["visa"])                  # or: await page.abandon()
    visit = await customer.open_portal(portal_session_id, return_url)
    await visit.cancel(at_period_end=True)              # renew(), switch_plan(), update_card()
    visit.leave()                                       # the return URL Stripe sends them to
    await customer.end_billing_period()                 # reach_period_end() + collect_renewal()
    await customer.retry_payment()                      # end_trial(), card_starts_declining()
    await customer.refund_purchase()                    # the merchant refunds a one-time buy

`customer.log.take()` says what was delivered since the last call and which deliveries the
service answered unexpectedly.

Where each job lives, so a new customer action finds its place:
    customer.py   StripeCustomer: the driver's entry point; time passing (period, trial ends)
    pages.py      CheckoutPage, PortalVisit: what each button of a hosted page does
    billing.py    BillingEngine: subscriptions (start, switch) and one-time payments
    cancellation.py  Cancellations: scheduled per billing mode, immediate, renewed, carried out
    renewals.py   Renewals: time passing: periods renew (draft, then charged), retries, trial ends
    settings.py   BillingSettings: the account's retry schedule and final action (per scenario)
    invoicing.py  Invoicing: invoices drafted, finalized, charged (and retried), paid
    payments.py   Payments: the payment intent and charge behind each amount taken, and refunds
    entitlements.py  the features a subscription entitles to, announced when they change
    checkout_line_items.py  what each completed Checkout Session sold (its line items)
    wallet.py     Wallet: cards attached and made the default; which card pays a subscription
    context.py    CustomerContext: the customer's graph, and announcing its changes as events
    prorations.py PriceChange: Stripe's proration rule for a change mid-period
    portal_configurations.py  what each portal session offers (switches, prorations)
    api_recorder.py  the service's Stripe calls, passed to stripe-mock and remembered
    outbox.py     EventOutbox: events queued as they happen, delivered when Stripe sends them
    webhooks.py, retries.py: deliveries (chaos, signing) and Stripe's retries of failed ones
    api_versions.py: events in the webhook endpoint's API version
    state.py, objects.py: the graph Stripe keeps, and its objects rendered as the API shows them
"""

from simulator.stripe_side.api import StripeApi, StripeRequestRejected
from simulator.stripe_side.catalog import CARDS, Card, CatalogPrice
from simulator.stripe_side.customer import StripeCustomer
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.side import StripeSide
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint

__all__ = [
    "CARDS",
    "Card",
    "CatalogPrice",
    "Chaos",
    "CheckoutPage",
    "DeliveryLog",
    "PortalVisit",
    "StripeApi",
    "StripeCustomer",
    "StripeRequestRejected",
    "StripeSide",
    "WebhookEndpoint",
]
