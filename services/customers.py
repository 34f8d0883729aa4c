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
from services.users import Account, stored_customer_id

if TYPE_CHECKING:
    from stripe.params import CustomerCreateParams

NO_BILLING_ACCOUNT = "You have no billing account yet: subscribe to a plan first."


class CustomerAccounts:
    def __init__(self, stripe: StripeGateway) -> None:
        self._stripe = stripe
        # A lock lives while some request holds or awaits it, then disappears with it.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def ensure_customer(self, account: Account) -> str:
        """The account's Stripe customer id, creating the customer on first use."""
        if account.customer_id:
            return account.customer_id
        lock = self._locks.setdefault(account.user_id, asyncio.Lock())
        async with lock:
            linked = await stored_customer_id(account.user_id)
            if linked is not None:
                return linked
            customer = await self._stripe.call(
                lambda v1: v1.customers.create_async(
                    _customer_params(account),
                    {"idempotency_key": idempotency_key("customer", account.user_id)},
                )
            )
            await User.filter(external_id=account.user_id, stripe_customer_id__isnull=True).update(
                stripe_customer_id=customer.id
            )
            # Another process (or a webhook) may have linked one first: its id wins.
            linked = await stored_customer_id(account.user_id)
            assert linked is not None
            return linked

    @staticmethod
    async def require_customer(account: Account) -> str:
        """The customer id of a user who already has a billing account, else BAD_USER_INPUT.

        The stored link is read again when the account has none: an earlier mutation of the
        same request (or a webhook) may have created it since the account was read.
        """
        customer_id = account.customer_id or await stored_customer_id(account.user_id)
        if not customer_id:
            raise BadUserInput(NO_BILLING_ACCOUNT)
        return customer_id


def _customer_params(account: Account) -> CustomerCreateParams:
    params: CustomerCreateParams = {"metadata": {"user_id": account.user_id}}
    if account.email:
        params["email"] = account.email
    return params
