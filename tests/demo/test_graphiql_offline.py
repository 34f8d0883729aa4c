"""GraphiQL works without the network: its assets, pinned and installed from the npm registry, are
served by the service itself, and the CDN is used only while they are not installed."""

from __future__ import annotations

import re

from billing_portal.graphiql_assets import (
    CDN_BASE,
    GRAPHIQL_ASSETS,
    LOCAL_PATH,
    integrity_of,
    strawberry_graphiql_page,
)
from tests.demo.support import put_assets
from tests.support import app_client

HTML = {"accept": "text/html"}
LOADED_URL = re.compile(r'(?:src|href)="([^"]+)"')
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}


def loaded_urls(page: str) -> set[str]:
    return {url for url in LOADED_URL.findall(page) if not url.startswith("data:")}


def test_the_pins_are_exactly_what_strawberrys_graphiql_page_loads():
    page = strawberry_graphiql_page()

    assert loaded_urls(page) == {asset.cdn_url for asset in GRAPHIQL_ASSETS}
    assert all(integrity_of(asset, page) for asset in GRAPHIQL_ASSETS)


async def test_with_the_assets_installed_graphiql_loads_everything_from_the_service(
    settings, tmp_path
):
    put_assets(tmp_path)
    async with app_client(settings, graphiql_assets=tmp_path) as client:
        page = (await client.get("/graphql", headers=HTML)).text
        urls = loaded_urls(page)

        assert urls == {asset.local_url for asset in GRAPHIQL_ASSETS}
        assert CDN_BASE not in page
        for url in urls:
            response = await client.get(url)
            assert response.status_code == 200, url
            media_type = MEDIA_TYPES[url[url.rindex(".") :]]
            assert response.headers["content-type"].startswith(media_type), url


async def test_the_local_page_keeps_the_hash_the_browser_checks_each_file_against(
    settings, tmp_path
):
    put_assets(tmp_path)
    async with app_client(settings, graphiql_assets=tmp_path) as client:
        page = (await client.get("/graphql", headers=HTML)).text

    for asset in GRAPHIQL_ASSETS:
        expected = integrity_of(asset, strawberry_graphiql_page())
        assert f'"{asset.local_url}"\n      integrity="{expected}"' in page


async def test_without_the_assets_graphiql_loads_them_from_the_cdn(settings, tmp_path):
    async with app_client(settings, graphiql_assets=tmp_path / "never-installed") as client:
        page = (await client.get("/graphql", headers=HTML)).text

    assert loaded_urls(page) == {asset.cdn_url for asset in GRAPHIQL_ASSETS}


async def test_a_partial_install_loads_every_asset_from_the_cdn(settings, tmp_path):
    put_assets(tmp_path, GRAPHIQL_ASSETS[:-1])
    async with app_client(settings, graphiql_assets=tmp_path) as client:
        page = (await client.get("/graphql", headers=HTML)).text

    assert LOCAL_PATH not in page


async def test_only_the_pinned_files_are_served_from_the_assets_folder(settings, tmp_path):
    put_assets(tmp_path)
    (tmp_path / "notes.txt").write_text("not an asset")
    async with app_client(settings, graphiql_assets=tmp_path) as client:
        unpinned = await client.get(f"{LOCAL_PATH}notes.txt")
        outside = await client.get(f"{LOCAL_PATH}react@18.2.0/../../pyproject.toml")
        other_version = await client.get(f"{LOCAL_PATH}graphiql@3.8.2/graphiql.min.js")

    assert [unpinned.status_code, outside.status_code, other_version.status_code] == [404] * 3


async def test_a_pinned_file_missing_from_the_folder_is_not_found(settings, tmp_path):
    async with app_client(settings, graphiql_assets=tmp_path) as client:
        response = await client.get(GRAPHIQL_ASSETS[0].local_url)

    assert response.status_code == 404


async def test_graphiql_assets_are_not_served_in_prod(prod_settings, tmp_path):
    put_assets(tmp_path)
    async with app_client(prod_settings, graphiql_assets=tmp_path) as client:
        response = await client.get(GRAPHIQL_ASSETS[0].local_url)

    assert response.status_code == 404
