"""The success page: the app confirms the Checkout Session the browser came back with.

Stripe sends the browser to the success URL once the payment went through, and its webhooks on
their own schedule: they may arrive after the page has loaded, twice, or, with a misconfigured
endpoint, never. A page that reads `viewer` at once would show no plan. So the app hands the
session id from the URL to `confirm`, which fetches the session with what it bought from Stripe
and writes it through the mirror's one write path (services.mirror.fetched_checkout), then
answers: the plan shows at once, and the webhooks, whenever they come, converge with it.

What is refused, with nothing written:
- a malformed id (the `{CHECKOUT_SESSION_ID}` placeholder left unfilled, say): BAD_USER_INPUT,
  before any Stripe call;
- a session Stripe does not know, and a session that is not the caller's (neither its customer
  nor its `client_reference_id` is theirs): NOT_FOUND, the same answer for both, so nobody learns
  whether another user's session exists;
- an open, expired or unpaid session: BAD_USER_INPUT saying which. An error rather than the
  viewer unchanged: the app cannot mistake "nothing was bought" for "bought, not shown yet".
Confirming again is harmless (the same snapshot is not newer than itself), and each call counts
against the same per-user limit as the mutations that create Stripe sessions.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import stripe

from services.errors import BadUserInput, NotFound
from services.mirror.fetched_checkout import EXPANSIONS, store_fetched_checkout
from services.mirror.handlers.base import Snapshot, id_of
from services.mirror.handlers.checkout import PAID
from services.notifications import BillingChanges
from services.rate_limit import SessionLimiter
from services.stripe_gateway import StripeGateway
from services.users import BillingUser, stored_customer_id

if TYPE_CHECKING:
    from stripe._v1_services import V1Services
    from stripe.checkout import Session

# Stripe's Checkout Session ids: `cs_`, then letters, digits and underscores; ids are at most
# 255 characters.
SESSION_ID = re.compile(r"cs_[A-Za-z0-9_]{1,252}")
MALFORMED = (
    "sessionId must be the id of a Checkout Session (cs_...), as the success URL carries it."
)
NOT_YOURS = "You have no Checkout session with this id."
EXPIRED = "This Checkout session expired before it was paid: nothing was bought."
OPEN = "This Checkout session is not complete: nothing has been bought yet."
UNPAID = (
    "The payment of this Checkout session has not gone through yet: the purchase shows once it has."
)


class CheckoutConfirmations:
    def __init__(
        self, *, stripe: StripeGateway, limiter: SessionLimiter, changes: BillingChanges
    ) -> None:
        self._stripe = stripe
        self._limiter = limiter
        self._changes = changes

    async def confirm(self, user: BillingUser, session_id: str) -> BillingUser:
        """The user once the session and what it bought are in the mirror (see the module)."""
        await self._limiter.hit(user.user_id)
        if SESSION_ID.fullmatch(session_id) is None:
            raise BadUserInput(MALFORMED)
        session = await self._fetch(session_id)
        customer_id = user.customer_id or await stored_customer_id(user.user_id)
        if session is None or not _belongs_to(session, user.user_id, customer_id):
            raise NotFound(NOT_YOURS)
        refusal = _refusal(session)
        if refusal is not None:
            raise BadUserInput(refusal)
        self._changes.publish(await store_fetched_checkout(self._stripe, session))
        # The session's customer is now linked to the user if it was not already.
        linked = customer_id or await stored_customer_id(user.user_id)
        return dataclasses.replace(user, customer_id=linked)

    async def _fetch(self, session_id: str) -> Snapshot | None:
        """The session with `EXPANSIONS`, or None when Stripe has no such session."""

        async def retrieve(v1: V1Services) -> Session | None:
            try:
                return await v1.checkout.sessions.retrieve_async(
                    session_id, {"expand": list(EXPANSIONS)}
                )
            except stripe.InvalidRequestError as error:
                if error.http_status == 404:
                    return None
                raise

        found = await self._stripe.call(retrieve)
        return found.to_dict() if found is not None else None


def _belongs_to(session: Snapshot, user_id: str, customer_id: str | None) -> bool:
    customer = id_of(session.get("customer"))
    return (customer is not None and customer == customer_id) or (
        session.get("client_reference_id") == user_id
    )


def _refusal(session: Snapshot) -> str | None:
    """Why the session bought nothing yet, or None when it is complete and paid."""
    status = session.get("status")
    if status == "expired":
        return EXPIRED
    if status != "complete":
        return OPEN
    if session.get("payment_status") not in PAID:
        return UNPAID
    return None
