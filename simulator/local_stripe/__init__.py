"""The local Stripe: a stateful Stripe account on this machine, with hosted Checkout and Customer
Portal pages, built on the simulator's Stripe side (`billing-portal stripe-local`).

The service calls it as it calls Stripe; a person (or a browser test) clicks through its pages;
each action sends the webhooks the scripted journeys send, because it is the same model.

    async with running_local_stripe(LocalStripeOptions(webhook_url, webhook_secret)) as stand:
        stand.url                                   # STRIPE_API_BASE for the service
        await stand.local.complete_checkout(session_id, CardInput("4242 4242 4242 4242"))
        await stand.local.advance_by(30 * DAY)      # renewals, trial ends, retries

Where each job lives:
    local.py       LocalStripe: the account's objects, its lookups and the pages' actions
    schedule.py    what falls due as time passes (renewals, trial ends, retries, expiry)
    clock.py       LiveClock: the wall clock, moved forward on demand
    cards.py       Stripe's test card numbers and what each one does
    sessions.py    Checkout and portal sessions; configurations.py: portal configurations
    api.py         /v1: validated by stripe-mock first, then answered from the account
    handlers.py    the modelled calls; calls.py: one call and its answers; render.py: objects
                   in the caller's API version, expanded, paged; idempotency.py: replays
    checkout_params.py  a new Checkout Session's UI mode and redirects, as Stripe checks them
    control.py     /_local/clock, the test-clock control
    persistence.py the account kept on disk between runs
    app.py         the ASGI app (pages, clock, API, stripe-mock behind); server.py: running it
    pages/         the hosted Checkout and Customer Portal pages, embedded Checkout's frame,
                   and the stand-in Stripe.js that mounts it
"""
