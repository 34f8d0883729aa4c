"""Group commit: work items submitted together are run as one batch, in one transaction.

A commit costs a flush to disk whatever it holds, so storing one event per transaction caps
ingest at the disk's flush rate. Here the first item of an idle period starts a batch at once,
so a lone delivery waits for nobody; items submitted while that batch runs queue up and start
together as soon as it ends. Each submitter is answered only when the batch that holds its
item has finished, with its own result.

The run function decides everything about the transaction; this module only forms batches and
hands results back. One batch runs at a time per instance, so batches never contend with each
other for rows or for the database's single writer.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

logger = logging.getLogger(__name__)

RunBatch = Callable[[Sequence[Item]], Awaitable[Sequence[Result]]]
BatchObserver = Callable[[int], None]


def ignore_batch(_: int) -> None:
    """The default batch observer."""


class GroupCommit(Generic[Item, Result]):
    """Runs submitted items in batches of at most `max_items`, one batch at a time.

    `max_wait_seconds` lets a batch that formed while another ran wait that much longer for
    company once the running one has ended, unless it is full already; a batch formed when
    the service was idle never waits. `observe` is told the size of every batch that ran.
    """

    def __init__(
        self,
        run: RunBatch[Item, Result],
        *,
        max_items: int,
        max_wait_seconds: float = 0.0,
        observe: BatchObserver = ignore_batch,
    ) -> None:
        if max_items < 1:
            raise ValueError("a batch holds at least one item")
        self._run = run
        self._max_items = max_items
        self._max_wait_seconds = max_wait_seconds
        self._observe = observe
        self._waiting: list[tuple[Item, asyncio.Future[Result]]] = []
        self._runner: asyncio.Task[None] | None = None
        self._full: asyncio.Event | None = None

    async def submit(self, item: Item) -> Result:
        """`item`'s result, once the batch holding it has run; the batch's error if it failed."""
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._full is not None and len(self._waiting) >= self._max_items:
            self._full.set()
        if self._runner is None:
            # A context of its own: the batches serve many requests, and must not carry the
            # context of the one that happened to start them (its request id in the logs).
            self._runner = asyncio.create_task(
                self._run_batches(), name="group commit", context=contextvars.Context()
            )
        return await future

    async def _run_batches(self) -> None:
        try:
            while self._waiting:
                batch = self._waiting[: self._max_items]
                del self._waiting[: self._max_items]
                await self._run_one(batch)
                if self._waiting and self._max_wait_seconds > 0:
                    await self._wait_for_company()
        finally:
            self._runner = None

    async def _run_one(self, batch: list[tuple[Item, asyncio.Future[Result]]]) -> None:
        try:
            results = await self._run([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} gave {len(results)} results")
        except BaseException as error:
            for _, future in batch:
                if not future.done():
                    future.set_exception(error)
            if not isinstance(error, Exception):
                raise
            return
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():  # its submitter may have been cancelled meanwhile
                future.set_result(result)
        try:
            self._observe(len(batch))
        except Exception:  # an observer's bug must not strand the deliveries still waiting
            logger.exception("the batch observer failed")

    async def _wait_for_company(self) -> None:
        if len(self._waiting) >= self._max_items:
            return
        self._full = asyncio.Event()
        try:
            await asyncio.wait_for(self._full.wait(), self._max_wait_seconds)
        except TimeoutError:
            pass
        finally:
            self._full = None
