"""Each user's Stripe customer: created on their first checkout, and only ever one.

Three layers keep it to one even when a user's first checkouts race: a per-user lock in this
process, an idempotency key derived from the user id (Stripe answers a repeated create with the
same customer, across processes), and a conditional update that only links a user who has no
customer yet (the database's unique column backs it), so a loser adopts the winner's id.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

from services.errors import BadUserInput
from services.models import User
from services.stripe_gateway import StripeGateway, idempotency_key
from services.users import BillingUser, stored_customer_id

if TYPE_CHECKING:
    from stripe.params import CustomerCreateParams

NO_BILLING_ACCOUNT = "You have no billing account yet: subscribe to a plan first."


class StripeCustomers:
    def __init__(self, stripe: StripeGateway) -> None:
        self._stripe = stripe
        # A lock lives while some request holds or awaits it, then disappears with it.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def ensure_customer(self, user: BillingUser) -> str:
        """The user's Stripe customer id, creating the customer on first use."""
        if user.customer_id:
            return user.customer_id
        lock = self._locks.setdefault(user.user_id, asyncio.Lock())
        async with lock:
            linked = await stored_customer_id(user.user_id)
            if linked is not None:
                return linked
            customer = await self._stripe.call(
                lambda v1: v1.customers.create_async(
                    _customer_params(user),
                    {"idempotency_key": idempotency_key("customer", user.user_id)},
                )
            )
            await User.filter(external_id=user.user_id, stripe_customer_id__isnull=True).update(
                stripe_customer_id=customer.id
            )
            # Another process (or a webhook) may have linked one first: its id wins.
            linked = await stored_customer_id(user.user_id)
            assert linked is not None
            return linked

    @staticmethod
    async def require_customer(user: BillingUser) -> str:
        """The customer id of a user who already has a Stripe customer, else BAD_USER_INPUT.

        The stored link is read again when the user has none: an earlier mutation of the
        same request (or a webhook) may have created it since the user was read.
        """
        customer_id = user.customer_id or await stored_customer_id(user.user_id)
        if not customer_id:
            raise BadUserInput(NO_BILLING_ACCOUNT)
        return customer_id


def _customer_params(user: BillingUser) -> CustomerCreateParams:
    params: CustomerCreateParams = {"metadata": {"user_id": user.user_id}}
    if user.email:
        params["email"] = user.email
    return params
