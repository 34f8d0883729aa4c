"""How GroupCommit forms batches, with a run function that commits when the test says so."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Sequence

import pytest

from services.webhooks.group_commit import GroupCommit

AN_HOUR_SECONDS = 3600.0
A_MOMENT_SECONDS = 0.001


class GatedRun:
    """A batch run that records its items and, while `hold` is set, waits to be released."""

    def __init__(self, *, hold: bool = False) -> None:
        self.batches: list[list[str]] = []
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        if not hold:
            self.release.set()

    async def __call__(self, items: Sequence[str]) -> list[str]:
        self.batches.append(list(items))
        self.started.set()
        await self.release.wait()
        return [f"{item} done" for item in items]


async def _submitted(group: GroupCommit[str, str], *items: str) -> list[asyncio.Task[str]]:
    """Tasks submitting `items`, each of which has reached the group before this returns."""
    tasks = [asyncio.create_task(group.submit(item)) for item in items]
    await asyncio.sleep(0)
    return tasks


async def test_a_lone_item_runs_at_once_in_a_batch_of_its_own():
    run = GatedRun()
    group = GroupCommit(run, max_items=10, max_wait_seconds=AN_HOUR_SECONDS)

    assert await group.submit("a") == "a done"
    assert run.batches == [["a"]]


async def test_items_submitted_while_a_batch_runs_go_together_in_the_next_one():
    run = GatedRun(hold=True)
    group = GroupCommit(run, max_items=10)
    first = await _submitted(group, "a")
    await run.started.wait()

    followers = await _submitted(group, "b", "c", "d")
    run.release.set()

    assert await asyncio.gather(*first, *followers) == ["a done", "b done", "c done", "d done"]
    assert run.batches == [["a"], ["b", "c", "d"]]


async def test_a_batch_never_holds_more_than_the_maximum():
    run = GatedRun()
    group = GroupCommit(run, max_items=2)

    await asyncio.gather(*(group.submit(item) for item in "abcde"))

    assert run.batches == [["a", "b"], ["c", "d"], ["e"]]


async def _b_waiting_behind_a(
    max_wait_seconds: float,
) -> tuple[GatedRun, GroupCommit[str, str], list[asyncio.Task[str]]]:
    """A group of at most 3 whose batch ["a"] has run, with "b" submitted while it ran."""
    run = GatedRun(hold=True)
    group = GroupCommit(run, max_items=3, max_wait_seconds=max_wait_seconds)
    first = await _submitted(group, "a")
    await run.started.wait()
    waiting = await _submitted(group, "b")
    run.release.set()
    await asyncio.gather(*first)
    return run, group, waiting


async def test_a_batch_that_formed_meanwhile_waits_for_company_until_it_is_full():
    run, group, waiting = await _b_waiting_behind_a(AN_HOUR_SECONDS)

    company = await _submitted(group, "c", "d")

    assert await asyncio.gather(*waiting, *company) == ["b done", "c done", "d done"]
    assert run.batches == [["a"], ["b", "c", "d"]]


async def test_a_batch_waiting_for_company_runs_without_it_once_the_wait_is_over():
    run, _, waiting = await _b_waiting_behind_a(A_MOMENT_SECONDS)

    assert await asyncio.gather(*waiting) == ["b done"]
    assert run.batches == [["a"], ["b"]]


async def test_a_failed_batch_fails_each_of_its_items_and_the_next_batch_still_runs():
    attempts: list[list[str]] = []

    async def run(items: Sequence[str]) -> list[str]:
        attempts.append(list(items))
        if len(attempts) == 1:
            raise RuntimeError("the database went away")
        return [f"{item} done" for item in items]

    group = GroupCommit(run, max_items=2)
    failed = await _submitted(group, "a", "b")
    later = await _submitted(group, "c")

    for task in failed:
        with pytest.raises(RuntimeError, match="went away"):
            await task
    assert await later[0] == "c done"
    assert attempts == [["a", "b"], ["c"]]


async def test_a_submitter_cancelled_while_waiting_leaves_the_others_their_results():
    run = GatedRun(hold=True)
    group = GroupCommit(run, max_items=10)
    gone, stays = await _submitted(group, "a", "b")
    await run.started.wait()

    gone.cancel()
    run.release.set()

    assert await stays == "b done"
    assert gone.cancelled()


async def test_each_batch_size_is_reported_to_the_observer():
    sizes: list[int] = []
    group = GroupCommit(GatedRun(), max_items=2, observe=sizes.append)

    await asyncio.gather(*(group.submit(item) for item in "abc"))

    assert sizes == [2, 1]


async def test_batches_run_outside_the_context_of_the_submitter_that_started_them():
    request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id")
    seen: list[str | None] = []

    async def run(items: Sequence[str]) -> list[str]:
        seen.append(request_id.get(None))
        return list(items)

    request_id.set("the first request")
    await GroupCommit(run, max_items=2).submit("a")

    assert seen == [None]
