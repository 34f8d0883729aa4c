"""The `info` every field method receives: strawberry's, carrying the resolvers' Context."""

from __future__ import annotations

import strawberry

from resolvers.context import Context

Info = strawberry.Info[Context, None]
