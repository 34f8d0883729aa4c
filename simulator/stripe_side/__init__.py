"""The simulated Stripe: hosted Checkout, the Customer Portal and billing, for any driver.

The simulator's scenarios drive it today; local clickable Checkout and Portal pages can drive
the same API later. Everything it does is checked by stripe-mock and reaches the service only as
signed webhooks.

    side = StripeSide(StripeApi(stripe_mock_url), WebhookEndpoint(http, url, secret), namespace)
    await side.publish_catalog()                        # product/price.created for side.catalog
    account = side.account("customer 1", Roles(), Chaos(None))
    await account.customer_created(customer_id, user_id, email)   # the service made it
    page = await account.open_checkout(session_id, side.catalog["basic"], quantity=1,
                                       trial_days=None, success_url=..., cancel_url=...)
    await page.complete(CARDS["visa"])                  # or: await page.abandon()
    visit = await account.open_portal(portal_session_id, return_url)
    await visit.cancel(at_period_end=True)              # switch_plan(...), update_card(...)
    visit.leave()                                       # the return URL Stripe sends them to
    await account.end_billing_period()                  # end_trial(), card_starts_declining()

`account.log.take()` says what was delivered since the last call and which deliveries the
service answered unexpectedly.
"""

from simulator.stripe_side.api import StripeApi, StripeRequestRejected
from simulator.stripe_side.catalog import CARDS, Card, CatalogPrice
from simulator.stripe_side.pages import CheckoutPage, PortalVisit
from simulator.stripe_side.side import CustomerAccount, StripeSide
from simulator.stripe_side.webhooks import Chaos, DeliveryLog, WebhookEndpoint

__all__ = [
    "CARDS",
    "Card",
    "CatalogPrice",
    "Chaos",
    "CheckoutPage",
    "CustomerAccount",
    "DeliveryLog",
    "PortalVisit",
    "StripeApi",
    "StripeRequestRejected",
    "StripeSide",
    "WebhookEndpoint",
]
