"""Cancellations: scheduled in the portal (recorded per billing mode), immediate, withdrawn by
renewing, and carried out when the scheduled moment comes.

The two billing modes record the same portal click differently: classic sets
`cancel_at_period_end`, flexible sets only `cancel_at`. A service that reads one of the two
fields shows a cancelled subscription as renewing in the other mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.stripe_side.context import CustomerContext
from simulator.stripe_side.state import SubscriptionState

if TYPE_CHECKING:
    from stripe.params import SubscriptionUpdateParams

CANCELLATION_REQUESTED = "cancellation_requested"


class Cancellations:
    """How one customer's subscription comes to an end, or is kept after all."""

    def __init__(self, context: CustomerContext) -> None:
        self._context = context

    async def schedule_at_period_end(self) -> None:
        """The portal's "cancel at end of period": the subscription stays active until then."""
        subscription = self._context.subscription
        before = self._context.render_subscription(subscription)
        if subscription.billing_mode == "classic":
            # BEHAVIOUR: portal.cancel.classic
            await self._update(subscription, {"cancel_at_period_end": True})
            subscription.cancel_at_period_end = True  # cancel_at follows the period end
        else:
            # BEHAVIOUR: portal.cancel.flexible
            await self._update(subscription, {"cancel_at": "max_period_end"})
            subscription.cancel_at = subscription.period_end  # the latest item's; stays put
        subscription.canceled_at = self._context.clock.now
        subscription.cancellation_reason = CANCELLATION_REQUESTED
        self._context.announce_subscription_update(subscription, before)

    async def renew(self) -> None:
        """The portal's "Renew" before the scheduled end: the cancellation is withdrawn."""
        subscription = self._context.subscription
        if subscription.status == "canceled":
            raise RuntimeError("a canceled subscription cannot be renewed")
        if subscription.scheduled_end is None:
            raise RuntimeError("the portal offers Renew only for a scheduled cancellation")
        before = self._context.render_subscription(subscription)
        if subscription.billing_mode == "classic":
            # BEHAVIOUR: portal.reactivate.classic
            await self._update(subscription, {"cancel_at_period_end": False})
        else:
            # BEHAVIOUR: portal.reactivate.flexible
            await self._update(subscription, {"cancel_at": ""})
        subscription.cancel_at_period_end = False
        subscription.cancel_at = None
        subscription.canceled_at = None
        subscription.cancellation_reason = None
        self._context.announce_subscription_update(subscription, before)

    async def now(self) -> None:
        """The portal's immediate cancellation (configured without prorations, the default)."""
        # BEHAVIOUR: portal.cancel.immediate
        context = self._context
        subscription = context.subscription
        await context.api.call(
            "cancel the subscription", lambda v1: v1.subscriptions.cancel_async(subscription.id)
        )
        subscription.canceled_at = context.clock.now
        subscription.cancellation_reason = CANCELLATION_REQUESTED
        self._end(subscription, context.clock.now)

    def end_if_scheduled_by(self, moment: int) -> bool:
        """Carry out a scheduled cancellation that falls at or before `moment`; False if none.

        Stripe does this on its own: no API call, and `canceled_at` keeps the request's time.
        """
        # BEHAVIOUR: cancel.period-end-reached
        subscription = self._context.subscription
        end = subscription.scheduled_end
        if subscription.status == "canceled" or end is None or end > moment:
            return False
        self._context.clock.advance_to(end)
        self._end(subscription, end)
        return True

    def end_by_stripe(self, *, reason: str | None) -> None:
        """Stripe ends the subscription on its own now (retries exhausted, a trial without a
        card): no API call, no request to date it, so `canceled_at` is the end too."""
        context = self._context
        subscription = context.subscription
        subscription.canceled_at = context.clock.now
        subscription.cancellation_reason = reason
        self._end(subscription, context.clock.now)

    def _end(self, subscription: SubscriptionState, moment: int) -> None:
        subscription.status = "canceled"
        subscription.ended_at = moment
        self._context.announce_subscription("customer.subscription.deleted", subscription)

    async def _update(
        self, subscription: SubscriptionState, params: SubscriptionUpdateParams
    ) -> None:
        await self._context.api.call(
            "update the subscription's cancellation",
            lambda v1: v1.subscriptions.update_async(subscription.id, params),
        )
