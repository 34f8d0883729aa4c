"""The demo app at /demo: served outside prod only, a page with its scripts and styles, the
page's configuration (seeding what it shows on the first visit), and the sign-in stand-in that
gives a browser a token for one of the demo users."""

from __future__ import annotations

from typing import Any

import pytest

from billing_portal.demo.routes import STATIC_DIR
from services.models import PortalBlock, PortalConfiguration
from tests.support import app_client, error_codes, graphql

VIEWER = "query { viewer { id email } }"
PORTAL_CONFIGURATION = "query { portalConfiguration { id } }"
READ_BLOCK = "query ($id: ID!) { portalBlock(id: $id) { title redirectUrl } }"
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}


async def visit(client, host: str = "127.0.0.1:8000") -> dict[str, Any]:
    """The page's first request, as a browser at http://`host`/demo/ makes it."""
    response = await client.get("/demo/config", headers={"host": host})
    assert response.status_code == 200
    return dict(response.json())


async def token_of(client, user: str) -> str:
    response = await client.post("/demo/token", json={"user": user})
    assert response.status_code == 200
    return str(response.json()["token"])


async def test_the_page_is_served_at_demo(client):
    response = await client.get("/demo/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="main.js">' in response.text


async def test_demo_without_a_slash_leads_to_the_page(client):
    response = await client.get("/demo")

    assert response.status_code in {307, 308}
    assert response.headers["location"].endswith("/demo/")


async def test_every_file_of_the_demo_is_served_with_its_type(client):
    for file in sorted(STATIC_DIR.iterdir()):
        response = await client.get(f"/demo/{file.name}")

        assert response.status_code == 200, file.name
        assert response.headers["content-type"].startswith(MEDIA_TYPES[file.suffix]), file.name


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/demo/"),
        ("GET", "/demo/main.js"),
        ("GET", "/demo/config"),
        ("POST", "/demo/token"),
    ],
)
async def test_nothing_of_the_demo_is_served_in_prod(prod_client, method, path):
    response = await prod_client.request(method, path, json={"user": "ada"})

    assert response.status_code == 404
    assert "token" not in response.text


async def test_a_demo_user_gets_a_token_the_api_accepts(client):
    token = await token_of(client, "ada")

    body = await graphql(client, VIEWER, token=token)

    assert body["data"]["viewer"] == {"id": "demo-ada", "email": "ada@example.com"}


async def test_the_demo_admin_gets_a_token_for_admin_operations(client):
    customer = await graphql(client, PORTAL_CONFIGURATION, token=await token_of(client, "ada"))
    admin = await graphql(client, PORTAL_CONFIGURATION, token=await token_of(client, "admin"))

    assert error_codes(customer) == ["FORBIDDEN"]
    assert "errors" not in admin


async def test_an_unknown_demo_user_gets_no_token(client):
    response = await client.post("/demo/token", json={"user": "mallory"})

    assert response.status_code == 404
    assert "token" not in response.json()


@pytest.mark.parametrize("body", [{"user": 1}, {}, ["ada"], "ada"])
async def test_a_token_request_without_a_demo_user_id_gets_no_token(client, body):
    response = await client.post("/demo/token", json=body)

    assert response.status_code == 404


async def test_a_token_request_that_is_not_json_is_refused(client):
    # What a form on another site could post without a CORS preflight.
    response = await client.post("/demo/token", data={"user": "ada"})

    assert response.status_code == 415
    assert "token" not in response.json()


async def test_the_config_lists_the_demo_users_and_says_stripe_is_local(client):
    config = await visit(client)

    assert [user["id"] for user in config["users"]] == ["ada", "grace", "alan", "admin"]
    assert [user["id"] for user in config["users"] if user["admin"]] == ["admin"]
    assert config["stripe"]["local"] is True


async def test_the_config_says_when_stripe_is_not_on_this_machine(settings, tmp_path):
    remote = settings.model_copy(update={"stripe_api_base": "https://api.stripe.com"})
    async with app_client(remote, graphiql_assets=tmp_path) as client:
        config = (await client.get("/demo/config")).json()

    assert config["stripe"] == {"local": False, "apiBase": "https://api.stripe.com"}


async def test_the_first_visit_saves_a_portal_block_that_returns_to_the_demo(client):
    config = await visit(client)

    block = await graphql(client, READ_BLOCK, {"id": config["portalBlockId"]})
    assert block["data"]["portalBlock"]["redirectUrl"] == "http://127.0.0.1:8000/demo/"


async def test_later_visits_show_the_same_block(client):
    first = (await visit(client))["portalBlockId"]
    second = (await visit(client, "localhost:8000"))["portalBlockId"]

    assert first == second
    assert await PortalBlock.all().count() == 1


async def test_an_existing_block_is_shown_rather_than_a_new_one(client):
    saved = await PortalBlock.create(title="Billing", redirect_url="https://localhost/account")

    config = await visit(client)

    assert config["portalBlockId"] == str(saved.id)
    assert await PortalBlock.all().count() == 1


async def test_the_first_visit_configures_the_customer_portal(client):
    await visit(client)

    assert await PortalConfiguration.all().count() == 1


async def test_a_block_the_rules_refuse_is_explained_instead(client):
    # A host outside ALLOWED_REDIRECT_HOSTS (the page opened at another address).
    config = await visit(client, "demo.example.com")

    assert config["portalBlockId"] is None
    assert "redirectUrl" in config["portalBlockProblem"]
