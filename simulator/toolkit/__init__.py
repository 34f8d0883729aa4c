"""The QA toolkit: what the simulator, the benchmarks and the test suite share to drive the
service from outside.

Version pins, child-process servers (stripe-mock, the service, the bench's baseline), bearer
tokens, a sign-in provider (its signing keys and JWKS endpoint), the GraphQL client, Stripe event
envelopes and their signatures. Nothing here imports the service's packages: a client of any
deployment needs only its URL and its secrets.

The package imports nothing itself, so `billing-portal` commands that only need the stripe-mock
launcher do not pay for the rest.
"""
