"""The install step: each pinned GraphiQL file comes out of its npm package, and is kept only
when it is the file strawberry's page names by its hash. Here `npm` is a stand-in on PATH that
packs tarballs this test made, and the page names those tarballs' hashes."""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
from pathlib import Path

import pytest

from billing_portal import graphiql_install
from billing_portal.graphiql_assets import GRAPHIQL_ASSETS, GRAPHIQL_PACKAGES, NpmPackage

FAKE_NPM = """#!{python}
import json, pathlib, shutil, sys
_, spec, _, _, destination = sys.argv[1:]
tarballs = pathlib.Path({tarballs!r})
with open(tarballs / "calls.log", "a") as log:
    log.write(spec + "\\n")
name = spec.replace("@", "_").replace("/", "_") + ".tgz"
shutil.copy(tarballs / name, destination)
print(json.dumps([{{"filename": name}}]))
"""


def content_of(path: str) -> bytes:
    return f"/* {path} from the registry */\n".encode()


def integrity(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def pack(package: NpmPackage, folder: Path, *, tampered: str | None = None) -> None:
    name = package.spec.replace("@", "_").replace("/", "_") + ".tgz"
    with tarfile.open(folder / name, "w:gz") as tarball:
        for path in package.files:
            data = b"tampered" if path == tampered else content_of(path)
            member = tarfile.TarInfo(f"package/{path}")
            member.size = len(data)
            tarball.addfile(member, io.BytesIO(data))


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """A fake `npm` on PATH serving tarballs from a folder; returns that folder."""
    tarballs = tmp_path / "registry"
    tarballs.mkdir()
    for package in GRAPHIQL_PACKAGES:
        pack(package, tarballs)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    npm.write_text(FAKE_NPM.format(python=sys.executable, tarballs=str(tarballs)))
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    page = "\n".join(
        f'<script src="{asset.cdn_url}"\n  integrity="{integrity(content_of(asset.path))}">'
        for asset in GRAPHIQL_ASSETS
    )
    monkeypatch.setattr(graphiql_install, "strawberry_graphiql_page", lambda: page)
    return tarballs


def npm_calls(registry: Path) -> list[str]:
    log = registry / "calls.log"
    return log.read_text().split() if log.exists() else []


def test_every_pinned_file_lands_where_the_service_serves_it(registry, tmp_path):
    target = tmp_path / "assets"

    fetched = graphiql_install.install(target)

    assert fetched == [package.spec for package in GRAPHIQL_PACKAGES]
    for asset in GRAPHIQL_ASSETS:
        assert asset.file_in(target).read_bytes() == content_of(asset.path)


def test_installed_files_are_not_fetched_again(registry, tmp_path):
    target = tmp_path / "assets"
    graphiql_install.install(target)

    fetched_again = graphiql_install.install(target)

    assert fetched_again == []
    assert len(npm_calls(registry)) == len(GRAPHIQL_PACKAGES)


def test_a_file_that_is_not_the_one_the_page_expects_is_refused(registry, tmp_path):
    graphiql = next(package for package in GRAPHIQL_PACKAGES if package.name == "graphiql")
    pack(graphiql, registry, tampered="graphiql.min.js")
    target = tmp_path / "assets"

    with pytest.raises(graphiql_install.AssetsUnavailable, match=r"graphiql\.min\.js"):
        graphiql_install.install(target)

    assert not (target / "graphiql@3.8.3" / "graphiql.min.js").exists()


def test_without_npm_the_install_warns_and_succeeds(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)

    status = graphiql_install.main([str(tmp_path / "assets")])

    assert status == 0
    assert "npm is not installed" in capsys.readouterr().err


def test_without_npm_the_install_fails_under_ci(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv("CI", "true")

    assert graphiql_install.main([str(tmp_path / "assets")]) == 1


def test_the_install_reports_what_it_fetched(registry, tmp_path, capsys):
    assert graphiql_install.main([str(tmp_path / "assets")]) == 0

    assert "graphiql@3.8.3" in capsys.readouterr().out
