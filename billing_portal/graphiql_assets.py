"""GraphiQL's browser assets, pinned, so that the page works without the network.

Strawberry's GraphiQL page loads its scripts and styles from unpkg, a CDN that serves files out of
npm packages, so the same files come from the npm registry at install time
(`billing_portal.graphiql_install`). The pins below are the packages and files that page loads;
strawberry's page also names each file's hash (its `integrity` attribute), which the install
checks and which the browser checks again, so a local copy is byte for byte the CDN's file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from strawberry.http.ides import get_graphql_ide_html

CDN_BASE = "https://unpkg.com/"
LOCAL_PATH = "/graphiql-assets/"
DEFAULT_ASSETS_DIR = Path("var/graphiql")


@dataclass(frozen=True, slots=True)
class NpmPackage:
    name: str
    version: str
    files: tuple[str, ...]
    """Paths inside the package, as the page asks for them."""

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"


GRAPHIQL_PACKAGES = (
    NpmPackage("react", "18.2.0", ("umd/react.production.min.js",)),
    NpmPackage("react-dom", "18.2.0", ("umd/react-dom.production.min.js",)),
    NpmPackage("js-cookie", "3.0.5", ("dist/js.cookie.min.js",)),
    NpmPackage("graphiql", "3.8.3", ("graphiql.min.css", "graphiql.min.js")),
    NpmPackage("@graphiql/plugin-explorer", "1.0.2", ("dist/style.css", "dist/index.umd.js")),
)


@dataclass(frozen=True, slots=True)
class Asset:
    """One file of one package: where the CDN has it, and where this service keeps it."""

    package: NpmPackage
    path: str

    @property
    def key(self) -> str:
        """`<name>@<version>/<path>`: its place under the assets folder and both URL prefixes."""
        return f"{self.package.spec}/{self.path}"

    @property
    def cdn_url(self) -> str:
        return CDN_BASE + self.key

    @property
    def local_url(self) -> str:
        return LOCAL_PATH + self.key

    def file_in(self, folder: Path) -> Path:
        return folder / self.key


GRAPHIQL_ASSETS = tuple(
    Asset(package, path) for package in GRAPHIQL_PACKAGES for path in package.files
)
ASSETS_BY_KEY = {asset.key: asset for asset in GRAPHIQL_ASSETS}


def strawberry_graphiql_page() -> str:
    return get_graphql_ide_html("graphiql")


def integrity_of(asset: Asset, page: str) -> str | None:
    """The hash `page` expects of `asset` (`sha384-<base64>`), or None when it does not load it."""
    found = re.search(re.escape(asset.cdn_url) + r'"\s+integrity="([^"]+)"', page)
    return found.group(1) if found else None


def installed(folder: Path) -> bool:
    return all(asset.file_in(folder).is_file() for asset in GRAPHIQL_ASSETS)


def graphiql_page(folder: Path) -> str:
    """Strawberry's page loading every asset from this service when all are in `folder` (a page
    with some files local and some remote would only hide that the install is incomplete), else
    strawberry's page as is, loading them from the CDN."""
    page = strawberry_graphiql_page()
    if not installed(folder):
        return page
    for asset in GRAPHIQL_ASSETS:
        page = page.replace(asset.cdn_url, asset.local_url)
    return page
