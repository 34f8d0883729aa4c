"""One-time purchases: a paid Checkout Session in payment mode buys its line items, read from
Stripe at completion because its events do not carry them; a full refund ends the purchase
while REFUND_ENDS_PURCHASE says so; `sync` rebuilds both."""

from __future__ import annotations

import httpx

from billing_portal.app import create_app
from billing_portal.bootstrap import bootstrap, stripe_gateway_for
from services.access import Access
from services.mirror.ownership import OwnershipPolicy
from services.mirror.sync import MirrorSync
from services.models import Purchase
from services.users import BillingUser
from services.webhooks.batch import Outcome
from services.webhooks.events import parse_event
from simulator.toolkit.servers import free_port
from tests.access.conftest import linked_user
from tests.access.support import (
    ACCESS_GROUPS,
    BASIC,
    EBOOK,
    PRO,
    CatalogStripe,
    charge,
    event,
    fresh,
    line_item,
)
from tests.access.support import payment_session as session
from tests.support import graphql
from tests.webhooks import support as s

T = s.BASE_TIME


async def _buyer() -> tuple[str, str]:
    customer, user = fresh("cus"), fresh("user")
    await linked_user(user, customer)
    return customer, user


async def _groups(client, token):
    return (await graphql(client, ACCESS_GROUPS, token=token))["data"]["viewer"]["accessGroups"]


async def test_a_completed_purchase_buys_every_line_item_read_once_from_stripe(
    groups, deliver, stripe_gateway, client, token_for
):
    customer, user = await _buyer()
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [PRO, EBOOK])

    await deliver([event("checkout.session.completed", session(checkout, customer))])

    assert await _groups(client, token_for(user)) == ["pro-readers", "readers", "subscribers"]
    assert stripe_gateway.line_item_reads(checkout) == 1
    assert await Purchase.filter(checkout_session_id=checkout).count() == 2


async def test_line_items_the_snapshot_already_carries_are_not_read_again(
    groups, deliver, stripe_gateway, client, token_for
):
    customer, user = await _buyer()
    checkout = fresh("cs")
    expanded = session(checkout, customer, line_items=[line_item(EBOOK)])

    await deliver([event("checkout.session.completed", expanded)])

    assert await _groups(client, token_for(user)) == ["readers"]
    assert stripe_gateway.line_item_reads(checkout) == 0


async def test_a_subscription_checkout_reads_no_line_items(groups, deliver, stripe_gateway):
    customer, _ = await _buyer()
    checkout = fresh("cs")
    subscribing = {**session(checkout, customer), "mode": "subscription", "subscription": "sub_1"}

    await deliver([event("checkout.session.completed", subscribing)])

    assert stripe_gateway.line_item_reads(checkout) == 0
    assert not await Purchase.filter(checkout_session_id=checkout).exists()


async def test_an_expired_session_buys_nothing(groups, deliver, stripe_gateway, client, token_for):
    customer, user = await _buyer()
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [EBOOK])
    expired = session(checkout, customer, status="expired", payment_status="unpaid")

    await deliver([event("checkout.session.expired", expired)])

    assert await _groups(client, token_for(user)) == ["free"]
    assert stripe_gateway.line_item_reads(checkout) == 0


async def test_a_purchase_waiting_for_its_payment_counts_once_it_succeeds_in_either_order(
    groups, deliver, stripe_gateway, client, token_for
):
    for order in ((0, 1), (1, 0)):
        customer, user = await _buyer()
        checkout = fresh("cs")
        stripe_gateway.sells(checkout, [EBOOK])
        events = [
            event(
                "checkout.session.completed",
                session(checkout, customer, payment_status="unpaid"),
            ),
            event(
                "checkout.session.async_payment_succeeded",
                session(checkout, customer),
                created=T + 3600,
            ),
        ]
        await deliver([events[0]])
        assert await _groups(client, token_for(user)) == ["free"]

        await deliver([events[index] for index in order])

        assert await _groups(client, token_for(user)) == ["readers"], order


async def test_a_purchase_whose_payment_fails_buys_nothing(
    groups, deliver, stripe_gateway, client, token_for
):
    customer, user = await _buyer()
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [EBOOK])
    unpaid = session(checkout, customer, payment_status="unpaid")

    await deliver(
        [
            event("checkout.session.async_payment_failed", unpaid, created=T + 3600),
            event("checkout.session.completed", unpaid),
        ]
    )

    assert await _groups(client, token_for(user)) == ["free"]


async def test_a_full_refund_leaves_the_purchase_standing_when_refunds_do_not_end_purchases(
    settings, groups, token_for
):
    kept = settings.model_copy(update={"refund_ends_purchase": False})
    gateway = stripe_gateway_for(kept, CatalogStripe)
    services = bootstrap(kept, stripe=gateway)
    app = create_app(kept, services=services, manage_database=False)
    customer, user = await _buyer()
    checkout, intent = fresh("cs"), fresh("pi")
    gateway.sells(checkout, [EBOOK])
    try:
        for body in (
            event("checkout.session.completed", session(checkout, customer, payment_intent=intent)),
            event("charge.refunded", charge(fresh("ch"), customer, intent, refunded=1500)),
        ):
            await services.webhooks.ingest(parse_event(body))
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert await _groups(client, token_for(user)) == ["readers"]
    finally:
        await services.close()


async def test_a_completion_whose_line_items_cannot_be_read_fails_until_redelivered(
    settings, groups, deliver, stripe_gateway, client, token_for
):
    customer, user = await _buyer()
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [EBOOK])
    completed = event("checkout.session.completed", session(checkout, customer))
    down = settings.model_copy(
        update={
            "stripe_api_base": f"http://127.0.0.1:{free_port()}",
            "stripe_max_network_retries": 0,
        }
    )
    unreachable = bootstrap(down)
    try:
        outcome = await unreachable.webhooks.ingest(parse_event(completed))
    finally:
        await unreachable.close()

    assert outcome is Outcome.FAILED
    assert await _groups(client, token_for(user)) == ["free"]
    await deliver([completed])
    assert await _groups(client, token_for(user)) == ["readers"]


class SoldAndRefundedStripe(CatalogStripe):
    """stripe-mock whose lists show one customer's paid e-book purchase (a completed Checkout
    Session in payment mode) and its charge, refunded in full."""

    customer = "cus_synced"
    intent = "pi_synced"

    async def call(self, operation):
        result = await super().call(operation)
        for listed in getattr(result, "data", None) or []:
            changes: dict[str, object]
            if listed.object == "checkout.session":
                self.sells(listed.id, [EBOOK])
                changes = {"status": "complete", "payment_status": "paid"}
            elif listed.object == "charge":
                changes = {"refunded": True}
            else:
                continue
            for key, value in {
                **changes,
                "customer": self.customer,
                "payment_intent": self.intent,
            }.items():
                listed[key] = value
        return result


async def test_sync_rebuilds_one_time_purchases_and_their_refunds(settings, groups, token_for):
    gateway = stripe_gateway_for(settings, SoldAndRefundedStripe)
    try:
        report = await MirrorSync(gateway).run(customer_id=SoldAndRefundedStripe.customer)
    finally:
        await gateway.close()

    assert (report.stored["one_time_purchases"], report.stored["charges"]) == (1, 1)
    purchase = await Purchase.get(customer_id=SoldAndRefundedStripe.customer)
    assert (purchase.product_id, purchase.paid) == (EBOOK, True)
    buyer = BillingUser("synced", None, SoldAndRefundedStripe.customer)
    assert await Access(OwnershipPolicy()).owned_products(buyer) == frozenset()  # refunded


async def test_a_duplicated_completion_is_stored_once(groups, deliver, stripe_gateway):
    customer, _ = await _buyer()
    checkout = fresh("cs")
    stripe_gateway.sells(checkout, [BASIC])
    completed = event("checkout.session.completed", session(checkout, customer))

    await deliver([completed, completed])

    assert await Purchase.filter(checkout_session_id=checkout).count() == 1


async def test_in_one_second_a_paid_snapshot_of_a_session_outranks_an_unpaid_one(
    groups, deliver, stripe_gateway, client, token_for
):
    for paid_first in (True, False):
        customer, user = await _buyer()
        checkout = fresh("cs")
        stripe_gateway.sells(checkout, [EBOOK])
        # The paid event gets the smaller event id: the id, the last tie-break, favours unpaid.
        paid = event("checkout.session.async_payment_succeeded", session(checkout, customer))
        unpaid = event(
            "checkout.session.completed", session(checkout, customer, payment_status="unpaid")
        )

        await deliver([paid, unpaid] if paid_first else [unpaid, paid])

        assert await _groups(client, token_for(user)) == ["readers"], paid_first


async def test_in_one_second_a_full_refund_outranks_a_partial_one(
    groups, deliver, stripe_gateway, client, token_for
):
    for full_first in (True, False):
        customer, user = await _buyer()
        checkout, intent, charge_id = fresh("cs"), fresh("pi"), fresh("ch")
        stripe_gateway.sells(checkout, [EBOOK])
        # The full refund gets the smaller event id, which the last tie-break would rank lower.
        full = event("charge.refunded", charge(charge_id, customer, intent, refunded=1500))
        partial = event("charge.refunded", charge(charge_id, customer, intent, refunded=500))
        completed = session(checkout, customer, payment_intent=intent)

        refunds = [full, partial] if full_first else [partial, full]
        await deliver([event("checkout.session.completed", completed), *refunds])

        assert await _groups(client, token_for(user)) == ["free"], full_first
