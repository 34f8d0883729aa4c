"""What the demo's tests share."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from billing_portal.graphiql_assets import GRAPHIQL_ASSETS, Asset


def put_assets(folder: Path, assets: Iterable[Asset] = GRAPHIQL_ASSETS) -> None:
    """Stand-ins for installed GraphiQL files (the service serves whatever bytes they hold)."""
    for asset in assets:
        file = asset.file_in(folder)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"/* {asset.key} */\n")
