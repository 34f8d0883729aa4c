"""Customer Portal blocks: what a page of the host app shows, and where the portal sends users back.

Admins write them; anyone may read one, because the page that renders a block is public. The
Redirect URL is checked like every redirect (services.urls): https, or plain http to the app a
developer runs on a loopback host outside prod.

Every portal session reads its block, so a block is kept in memory for a few seconds, as the
plans are: a change saved through another instance shows here within that time (at once through
this one), and a block created anywhere shows at once, since a missing one is never kept.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.bounded_cache import BoundedCache
from services.errors import BadUserInput, NotFound
from services.models import PortalBlock
from services.text import safe_text
from services.urls import RedirectPolicy, https_asset_url
from services.views import view_of

MAX_TITLE_LENGTH = 200
MAX_SUBTITLE_LENGTH = 500
BLOCK_CACHE_SECONDS = 5.0
# Far more blocks than any app shows; ids nobody saved are never kept.
MAX_CACHED_BLOCKS = 1_000


@dataclass(frozen=True, slots=True)
class BlockInput:
    title: str
    redirect_url: str
    id: str | None = None
    subtitle: str | None = None
    background_image_url: str | None = None


@dataclass(frozen=True, slots=True)
class PortalBlockView:
    id: uuid.UUID
    title: str
    subtitle: str | None
    background_image_url: str | None
    redirect_url: str


class PortalBlocks:
    def __init__(
        self,
        redirects: RedirectPolicy,
        *,
        cache_seconds: float = BLOCK_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redirects = redirects
        self._recent: BoundedCache[uuid.UUID, PortalBlockView] = BoundedCache(
            MAX_CACHED_BLOCKS, cache_seconds, clock=clock
        )

    async def save(self, block: BlockInput) -> PortalBlockView:
        """Create a block, or update the one `block.id` names (NOT_FOUND when there is none)."""
        title = safe_text(block.title.strip(), field="title")
        if not title or len(title) > MAX_TITLE_LENGTH:
            raise BadUserInput(f"title must have 1 to {MAX_TITLE_LENGTH} characters.")
        subtitle = (
            safe_text((block.subtitle or "").strip(), field="subtitle", multiline=True) or None
        )
        if subtitle is not None and len(subtitle) > MAX_SUBTITLE_LENGTH:
            raise BadUserInput(f"subtitle must have at most {MAX_SUBTITLE_LENGTH} characters.")
        background = block.background_image_url or None
        if background is not None:
            https_asset_url(background, field="backgroundImageUrl")
        redirect_url = self._redirects.redirect_url(block.redirect_url, field="redirectUrl")
        values: dict[str, Any] = {
            "title": title,
            "subtitle": subtitle,
            "background_image_url": background,
            "redirect_url": redirect_url,
        }
        if block.id is None:
            row = await PortalBlock.create(**values)
        else:
            stored = await _stored(block.id)
            if stored is None:
                raise NotFound("No portal block has this id.")
            row = stored.update_from_dict(values)
            await row.save()
        saved = view_of(PortalBlockView, row)
        self._recent.put(saved.id, saved)
        return saved

    async def get(self, block_id: str) -> PortalBlockView | None:
        key = _block_key(block_id)
        if key is None:
            return None
        kept = self._recent.get(key)
        if kept is not None:
            return kept
        row = await PortalBlock.get_or_none(id=key)
        if row is None:
            return None
        found = view_of(PortalBlockView, row)
        self._recent.put(key, found)
        return found

    @staticmethod
    async def oldest() -> PortalBlockView | None:
        """The first block saved: what a page shows when it was given no block of its own."""
        row = await PortalBlock.all().order_by("created_at", "id").first()
        return view_of(PortalBlockView, row) if row else None


def _block_key(block_id: str) -> uuid.UUID | None:
    """The block's id, or None for a malformed one (which names no block, like an unknown one)."""
    try:
        return uuid.UUID(block_id)
    except ValueError:
        return None


async def _stored(block_id: str) -> PortalBlock | None:
    key = _block_key(block_id)
    return await PortalBlock.get_or_none(id=key) if key is not None else None
