"""Portal blocks kept in memory for a few seconds (services.portal_blocks): what another
instance saved shows within that time, what this one saved and any new block at once."""

from __future__ import annotations

import uuid

import pytest

from services.models import PortalBlock
from services.portal_blocks import BLOCK_CACHE_SECONDS, BlockInput, PortalBlocks
from services.urls import RedirectPolicy
from tests.support import ManualClock

REDIRECTS = RedirectPolicy.of(["localhost"], is_prod=False)
ACCOUNT = "https://localhost/account"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def blocks(database, clock) -> PortalBlocks:
    return PortalBlocks(REDIRECTS, clock=clock)


async def changed_elsewhere(block_id: uuid.UUID, title: str) -> None:
    """Another instance saves the block: the row changes behind this one's back."""
    await PortalBlock.filter(id=block_id).update(title=title)


async def test_a_block_changed_through_another_instance_shows_once_the_kept_one_is_old(
    blocks, clock
):
    saved = await blocks.save(BlockInput(title="Billing", redirect_url=ACCOUNT))
    await changed_elsewhere(saved.id, "Your plan")

    kept = await blocks.get(str(saved.id))
    clock.now += BLOCK_CACHE_SECONDS
    fresh = await blocks.get(str(saved.id))

    assert (kept.title, fresh.title) == ("Billing", "Your plan")


async def test_a_block_saved_through_this_instance_shows_at_once(blocks):
    saved = await blocks.save(BlockInput(title="Billing", redirect_url=ACCOUNT))
    await blocks.get(str(saved.id))

    await blocks.save(BlockInput(id=str(saved.id), title="Your plan", redirect_url=ACCOUNT))

    assert (await blocks.get(str(saved.id))).title == "Your plan"


async def test_a_block_created_anywhere_shows_at_once_though_it_was_asked_for_before(blocks):
    block_id = uuid.uuid4()
    assert await blocks.get(str(block_id)) is None

    await PortalBlock.create(id=block_id, title="Billing", redirect_url=ACCOUNT)

    assert (await blocks.get(str(block_id))).title == "Billing"


async def test_an_id_written_in_capitals_names_the_same_kept_block(blocks):
    saved = await blocks.save(BlockInput(title="Billing", redirect_url=ACCOUNT))
    await blocks.get(str(saved.id).upper())

    await blocks.save(BlockInput(id=str(saved.id), title="Your plan", redirect_url=ACCOUNT))

    assert (await blocks.get(str(saved.id).upper())).title == "Your plan"
