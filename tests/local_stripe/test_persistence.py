"""The local account kept on disk: a restarted local Stripe still knows the service's customers."""

from __future__ import annotations

from pathlib import Path

from simulator.app_users import AppUser
from simulator.local_stripe import persistence
from simulator.local_stripe.server import LocalStripeOptions, local_stripe_app
from tests.local_stripe.conftest import VISA, Stand


def _options(stand: Stand, path: Path) -> LocalStripeOptions:
    return LocalStripeOptions(
        webhook_url=f"{stand.service_url}/webhooks/stripe",
        webhook_secret=stand.settings.webhook_secret,
        state_path=path,
    )


async def test_a_restarted_local_stripe_remembers_its_customers(
    stand: Stand, tmp_path: Path
) -> None:
    path = tmp_path / "account"
    user = await _saved_customer(stand, path)
    viewer = await user.viewer()

    async with local_stripe_app(_options(stand, path), stand.stripe_mock_url) as (restarted, _):
        subscription = restarted.current_subscription(viewer["customerId"])

    assert subscription is not None
    assert subscription.id == viewer["subscriptions"][0]["id"]
    assert restarted.clock.now >= stand.local.clock.now - 1


async def test_a_restarted_local_stripes_events_are_new_to_the_service(
    stand: Stand, tmp_path: Path
) -> None:
    user, portal = await stand.on_basic_with_a_portal()
    path = tmp_path / "account"
    persistence.write(path, persistence.encode(stand.local.snapshot()))

    async with local_stripe_app(_options(stand, path), stand.stripe_mock_url) as (restarted, _):
        await restarted.cancel_subscription(portal["id"])

    assert (await user.viewer())["subscriptions"][0]["cancelAtPeriodEnd"] is True


async def _saved_customer(stand: Stand, path: Path) -> AppUser:
    """A user who paid for Basic, with the account saved at `path` afterwards."""
    user = stand.user()
    await stand.local.complete_checkout((await stand.subscribe(user))["id"], VISA)
    persistence.write(path, persistence.encode(stand.local.snapshot()))
    return user


async def test_a_damaged_saved_account_is_set_aside(stand: Stand, tmp_path: Path) -> None:
    path = tmp_path / "account"
    path.write_bytes(b"not a pickle")

    async with local_stripe_app(_options(stand, path), stand.stripe_mock_url) as (fresh, _):
        assert fresh.customers() == []

    assert (tmp_path / "account.old").read_bytes() == b"not a pickle"
