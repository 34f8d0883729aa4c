"""`python -m billing_portal.graphiql_install [FOLDER]`: fetches the pinned GraphiQL assets from
the npm registry into FOLDER (default `var/graphiql`), which `make install` runs.

`npm pack` downloads each package's tarball (npm checks it against the registry's own hash);
only the files the page loads are kept, each after its hash matched the one strawberry's page
names. Files already in place with the right hash are not fetched again. Without npm, or without
the registry, the service still works (its GraphiQL page then uses the CDN): that is a warning
and exit status 0, except under CI=true, where an incomplete install fails the run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from billing_portal.graphiql_assets import (
    DEFAULT_ASSETS_DIR,
    GRAPHIQL_ASSETS,
    GRAPHIQL_PACKAGES,
    Asset,
    NpmPackage,
    integrity_of,
    strawberry_graphiql_page,
)

NPM_TIMEOUT_SECONDS = 180


class AssetsUnavailable(Exception):
    """A package could not be fetched, or a file is not the one strawberry's page expects."""


def subresource_integrity(data: bytes, expected: str) -> bool:
    """Whether `data` has the hash of an `integrity` attribute (`<algorithm>-<base64 digest>`)."""
    algorithm, _, digest = expected.partition("-")
    if algorithm not in {"sha256", "sha384", "sha512"}:
        return False
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode() == digest


def _expected_hashes() -> dict[Asset, str]:
    page = strawberry_graphiql_page()
    hashes = {}
    for asset in GRAPHIQL_ASSETS:
        integrity = integrity_of(asset, page)
        if integrity is None:
            raise AssetsUnavailable(
                f"strawberry's GraphiQL page does not load {asset.cdn_url} (with an integrity "
                "hash): update GRAPHIQL_PACKAGES in billing_portal/graphiql_assets.py to match it"
            )
        hashes[asset] = integrity
    return hashes


def _in_place(asset: Asset, folder: Path, integrity: str) -> bool:
    file = asset.file_in(folder)
    return file.is_file() and subresource_integrity(file.read_bytes(), integrity)


def _tarball(package: NpmPackage, work: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsUnavailable("npm is not installed")
    try:
        packed = subprocess.run(  # noqa: S603 - npm found on PATH, fixed arguments
            [npm, "pack", package.spec, "--json", "--pack-destination", str(work)],
            capture_output=True,
            text=True,
            timeout=NPM_TIMEOUT_SECONDS,
            check=False,
            cwd=work,
        )
    except subprocess.TimeoutExpired:
        raise AssetsUnavailable(
            f"npm pack {package.spec} took over {NPM_TIMEOUT_SECONDS} s"
        ) from None
    if packed.returncode != 0:
        last_line = (packed.stderr.strip().splitlines() or ["no message"])[-1]
        raise AssetsUnavailable(f"npm pack {package.spec} failed: {last_line}")
    return work / str(json.loads(packed.stdout)[0]["filename"])


def _files_of(package: NpmPackage) -> list[Asset]:
    return [asset for asset in GRAPHIQL_ASSETS if asset.package == package]


def _install_package(package: NpmPackage, folder: Path, hashes: dict[Asset, str]) -> None:
    with (
        tempfile.TemporaryDirectory() as scratch,
        tarfile.open(_tarball(package, Path(scratch))) as tarball,
    ):
        for asset in _files_of(package):
            member = tarball.extractfile(f"package/{asset.path}")
            if member is None:
                raise AssetsUnavailable(f"{package.spec} has no file {asset.path}")
            data = member.read()
            if not subresource_integrity(data, hashes[asset]):
                raise AssetsUnavailable(f"{asset.key} is not the file GraphiQL's page expects")
            target = asset.file_in(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(data)
            partial.replace(target)


def install(folder: Path) -> list[str]:
    """Put every pinned asset in `folder`; returns the packages it had to fetch."""
    hashes = _expected_hashes()
    fetched = []
    for package in GRAPHIQL_PACKAGES:
        if all(_in_place(asset, folder, hashes[asset]) for asset in _files_of(package)):
            continue
        _install_package(package, folder, hashes)
        fetched.append(package.spec)
    return fetched


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    folder = Path(arguments[0]) if arguments else DEFAULT_ASSETS_DIR
    try:
        fetched = install(folder)
    except AssetsUnavailable as problem:
        in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
        outcome = "failing (CI=true)" if in_ci else "GraphiQL will load them from the CDN"
        print(f"GraphiQL assets not installed: {problem}; {outcome}", file=sys.stderr)
        return 1 if in_ci else 0
    print(f"GraphiQL assets in {folder}: " + (", ".join(fetched) or "already installed"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
