"""What each completed Checkout Session sold: its line items, as Stripe lists them.

Stripe's events about a session do not carry its line items; a service reads them with
`GET /v1/checkout/sessions/{id}/line_items`. stripe-mock answers that with fixtures unrelated to
the journey, so the account keeps every session's items here, and the API recorder (and the
local Stripe) answer that request from them.
"""

from __future__ import annotations

from simulator.stripe_side.objects import StripeObject


class CheckoutLineItems:
    """The line items of the account's completed Checkout Sessions, by session id."""

    def __init__(self) -> None:
        self._by_session: dict[str, list[StripeObject]] = {}

    def record(self, session_id: str, items: list[StripeObject]) -> None:
        # BEHAVIOUR: checkout.payment.line-items
        self._by_session[session_id] = items

    def of(self, session_id: str) -> list[StripeObject] | None:
        """The session's items, or None for a session this account never completed."""
        return self._by_session.get(session_id)
