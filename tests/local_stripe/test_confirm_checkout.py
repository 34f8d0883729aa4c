"""confirmCheckout at the success page, on the local Stripe: the plan shows at once whether
Checkout's webhooks arrive later, twice, out of turn or never; only the session's own user may
confirm it, and a session that bought nothing changes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from simulator.app_users import AppUser
from simulator.local_stripe.cards import CardInput
from simulator.toolkit.graphql import ServiceRefused
from simulator.toolkit.stripe_mock import StripeMockServer
from tests.local_stripe.conftest import REDIRECT_URL, Stand, standing
from tests.local_stripe.webhook_gate import WebhookGate, serving_gate

VISA = CardInput("4242424242424242")
HOUR = 3_600
# On the success page: the plan, its card and its paid invoice (Basic is 900 a month).
ON_BASIC = (True, [("Basic monthly", "ACTIVE", False)], "4242", [("paid", 900)])
NOTHING: tuple[Any, ...] = (False, [], None, [])


@pytest.fixture
async def gated(
    stripe_mock: StripeMockServer, database: str
) -> AsyncIterator[tuple[Stand, WebhookGate]]:
    """A stand whose local Stripe sends its webhooks through a gate, open until a test closes
    it."""
    async with (
        serving_gate() as (gate, through_the_gate),
        standing(stripe_mock, database, webhooks_to=through_the_gate) as stand,
    ):
        yield stand, gate


def shown(viewer: dict[str, Any]) -> tuple[Any, ...]:
    """What the success page shows: access, the plan, the card, the invoices."""
    card = viewer["defaultPaymentMethod"]
    return (
        viewer["hasActiveSubscription"],
        [
            (row["planName"], row["status"], row["cancelAtPeriodEnd"])
            for row in viewer["subscriptions"]
        ],
        card["last4"] if card else None,
        [(row["status"], row["amountPaid"]) for row in viewer["invoices"]],
    )


async def paid_with_webhooks_kept(
    stand: Stand, gate: WebhookGate, user: AppUser, **checkout: Any
) -> str:
    """The user pays for Basic while the gate keeps Checkout's webhooks; the session's id."""
    session = await stand.subscribe(user, **checkout)
    gate.close()
    await stand.local.complete_checkout(session["id"], VISA)
    return str(session["id"])


async def refusal(call: Any) -> str:
    with pytest.raises(ServiceRefused) as refused:
        await call
    return str(refused.value)


async def test_the_plan_shows_at_once_when_no_webhook_ever_arrives(gated):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user)

    confirmed = await user.confirm_checkout(session_id)

    assert shown(confirmed) == ON_BASIC
    assert shown(await user.viewer()) == ON_BASIC


async def test_webhooks_arriving_after_the_confirmation_leave_the_plan_as_shown(gated):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user)
    await user.confirm_checkout(session_id)

    await gate.release()

    assert shown(await user.viewer()) == ON_BASIC


async def test_webhooks_delivered_twice_after_the_confirmation_leave_the_plan_as_shown(gated):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user)
    await user.confirm_checkout(session_id)

    await gate.release(times=2)

    assert shown(await user.viewer()) == ON_BASIC


async def test_a_late_snapshot_of_the_subscription_before_payment_does_not_take_the_plan_back(
    gated,
):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user)
    await user.confirm_checkout(session_id)

    # Checkout creates the subscription `incomplete`, then pays its first invoice.
    await gate.release(only={"customer.subscription.created", "invoice.created"})

    assert shown(await user.viewer()) == ON_BASIC


async def test_confirming_after_the_webhooks_arrived_changes_nothing(stand):
    user = stand.user()
    session = await stand.subscribe(user)
    await stand.local.complete_checkout(session["id"], VISA)
    before = await user.viewer()

    confirmed = await user.confirm_checkout(session["id"])

    assert confirmed == before
    assert shown(confirmed) == ON_BASIC


async def test_a_change_made_after_the_confirmation_shows_and_late_webhooks_keep_it(gated):
    stand, gate = gated
    user = stand.user()
    admin = stand.admin()
    block = await admin.save_portal_block("Billing", REDIRECT_URL)
    session_id = await paid_with_webhooks_kept(stand, gate, user)
    await user.confirm_checkout(session_id)
    gate.open()
    await stand.local.advance_by(HOUR)
    portal = await user.create_portal_session(block["id"], None)

    await stand.local.cancel_subscription(portal["id"])
    cancelling = shown(await user.viewer())
    await gate.release()

    assert cancelling == (True, [("Basic monthly", "ACTIVE", True)], "4242", [("paid", 900)])
    assert shown(await user.viewer()) == cancelling


async def test_confirming_twice_shows_the_same_and_stores_each_object_once(gated):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user)

    first = await user.confirm_checkout(session_id)
    second = await user.confirm_checkout(session_id)

    assert second == first
    assert len(second["subscriptions"]) == len(second["invoices"]) == 1


async def test_a_trial_shows_at_once_as_trialing(gated):
    stand, gate = gated
    user = stand.user()
    session_id = await paid_with_webhooks_kept(stand, gate, user, trialDays=7)

    confirmed = await user.confirm_checkout(session_id)

    assert shown(confirmed) == (True, [("Basic monthly", "TRIALING", False)], "4242", [("paid", 0)])


async def test_a_one_time_purchase_shows_at_once(gated):
    stand, gate = gated
    user = stand.user()
    setup = next(p for p in await user.plans() if p["interval"] is None)
    await stand.admin().save_access_group(
        "setup-buyers", "Setup", "IS_ONE_OF", [setup["productId"]]
    )
    session = await user.create_checkout_session(
        {
            "priceId": setup["priceId"],
            "mode": "PAYMENT",
            "successUrl": "http://localhost/thanks?session={CHECKOUT_SESSION_ID}",
            "cancelUrl": "http://localhost/pricing",
        }
    )
    gate.close()
    await stand.local.complete_checkout(session["id"], VISA)

    confirmed = await user.confirm_checkout(session["id"])

    assert "setup-buyers" in confirmed["accessGroups"]
    assert [(row["status"], row["amountPaid"]) for row in confirmed["invoices"]] == [
        ("paid", setup["unitAmount"])
    ]


async def test_another_users_session_is_not_found_and_shows_them_nothing(gated):
    stand, gate = gated
    owner, other = stand.user("user-1"), stand.user("user-2")
    session_id = await paid_with_webhooks_kept(stand, gate, owner)

    refused = await refusal(other.confirm_checkout(session_id))

    assert "NOT_FOUND" in refused
    assert shown(await other.viewer()) == NOTHING
    assert shown(await owner.viewer()) == NOTHING


async def test_a_session_stripe_does_not_know_is_not_found(stand):
    refused = await refusal(stand.user().confirm_checkout("cs_sim_no_such_session"))

    assert "NOT_FOUND" in refused


async def test_an_expired_session_is_refused_and_changes_nothing(stand):
    user = stand.user()
    session = await stand.subscribe(user)
    await stand.local.abandon_checkout(session["id"])

    refused = await refusal(user.confirm_checkout(session["id"]))

    assert "BAD_USER_INPUT" in refused
    assert "expired" in refused
    assert shown(await user.viewer()) == NOTHING


async def test_an_unpaid_open_session_is_refused_and_changes_nothing(stand):
    user = stand.user()
    session = await stand.subscribe(user)

    refused = await refusal(user.confirm_checkout(session["id"]))

    assert "BAD_USER_INPUT" in refused
    assert "not complete" in refused
    assert shown(await user.viewer()) == NOTHING
