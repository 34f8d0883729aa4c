"""Serves the installed GraphiQL assets, and nothing else from their folder.

Only the pinned files answer (an allow-list, so no path is ever resolved from the request), and
each URL names its package version, so browsers may keep a file for good.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from billing_portal.graphiql_assets import ASSETS_BY_KEY, LOCAL_PATH

MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
FOREVER = "public, max-age=31536000, immutable"


def graphiql_asset_routes(folder: Path) -> list[BaseRoute]:
    async def asset(request: Request) -> Response:
        found = ASSETS_BY_KEY.get(request.path_params["key"])
        file = found.file_in(folder) if found is not None else None
        if file is None or not await anyio.Path(file).is_file():
            return PlainTextResponse("Not Found", status_code=404)
        return FileResponse(
            file, media_type=MEDIA_TYPES[file.suffix], headers={"cache-control": FOREVER}
        )

    return [Route(LOCAL_PATH + "{key:path}", asset, methods=["GET", "HEAD"])]
