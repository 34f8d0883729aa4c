"""The smallest end-to-end path: a bearer token reaches a resolver that reads the database."""

from __future__ import annotations

from services.models import User
from tests.support import error_codes, graphql

VIEWER = "query { viewer { id email customerId } }"


async def test_viewer_is_created_on_first_authenticated_use(client, token_for):
    body = await graphql(client, VIEWER, token=token_for("user-1", email="ada@example.com"))

    assert body["data"]["viewer"] == {
        "id": "user-1",
        "email": "ada@example.com",
        "customerId": None,
    }
    assert await User.filter(external_id="user-1").count() == 1


async def test_viewer_without_a_token_is_unauthenticated(client):
    body = await graphql(client, VIEWER)

    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await User.all().count() == 0
