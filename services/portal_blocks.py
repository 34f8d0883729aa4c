"""Customer Portal blocks: what a page of the host app shows, and where the portal sends users back.

Admins write them; anyone may read one, because the page that renders a block is public. The
Redirect URL is checked like every redirect (services.urls): https, or plain http to the app a
developer runs on a loopback host outside prod.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from services.errors import BadUserInput, NotFound
from services.models import PortalBlock
from services.text import safe_text
from services.urls import RedirectPolicy, https_asset_url
from services.views import view_of

MAX_TITLE_LENGTH = 200
MAX_SUBTITLE_LENGTH = 500


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
    def __init__(self, redirects: RedirectPolicy) -> None:
        self._redirects = redirects

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
            return view_of(PortalBlockView, await PortalBlock.create(**values))
        row = await _stored(block.id)
        if row is None:
            raise NotFound("No portal block has this id.")
        await row.update_from_dict(values).save()
        return view_of(PortalBlockView, row)

    @staticmethod
    async def get(block_id: str) -> PortalBlockView | None:
        row = await _stored(block_id)
        return view_of(PortalBlockView, row) if row else None

    @staticmethod
    async def oldest() -> PortalBlockView | None:
        """The first block saved: what a page shows when it was given no block of its own."""
        row = await PortalBlock.all().order_by("created_at", "id").first()
        return view_of(PortalBlockView, row) if row else None


async def _stored(block_id: str) -> PortalBlock | None:
    """The block, or None for an unknown or malformed id (both are just "no such block")."""
    try:
        key = uuid.UUID(block_id)
    except ValueError:
        return None
    return await PortalBlock.get_or_none(id=key)
