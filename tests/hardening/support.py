"""What the hardening tests share: characters no stored text may hold, the mutations they send,
and a GraphQL call whose body may carry any string, lone surrogates included."""

from __future__ import annotations

import json
from typing import Any

import httpx

UNSAFE_CHARACTERS = {
    "nul": "\x00",
    "escape": "\x1b",
    "carriage-return": "\r",
    "high-surrogate": chr(0xD800),
    "low-surrogate": chr(0xDFFF),
    "rtl-override": "\u202e",
    "ltr-isolate": "\u2066",
    "rtl-mark": "\u200f",
    "zero-width-space": "\u200b",
    "byte-order-mark": "\ufeff",
    "tag-character": "\U000e0041",
    "line-separator": "\u2028",
    "hangul-filler": "\u3164",
    "noncharacter": "\ufffe",
}

CHECKOUT = """
mutation($input: CheckoutInput!) { createCheckoutSession(input: $input) { id url } }
"""
CHECKOUT_URLS = {
    "successUrl": "https://localhost/welcome",
    "cancelUrl": "https://localhost/pricing",
}
SAVE_BLOCK = """
mutation($input: PortalBlockInput!) { savePortalBlock(input: $input) { id title subtitle } }
"""
CONFIGURE_PORTAL = """
mutation($input: PortalConfigurationInput!) { configureCustomerPortal(input: $input) { id } }
"""
PORTAL_OPTIONS = {
    "cancelSubscription": True,
    "updatePaymentMethod": True,
    "updateSubscription": False,
    "invoiceHistory": True,
    "updateCustomerDetails": False,
}


async def post_graphql(
    client: httpx.AsyncClient,
    query: str,
    variables: Any = None,
    *,
    token: str | None = None,
) -> httpx.Response:
    """POST a GraphQL request as a browser's JSON.stringify would send it: any string survives,
    since JSON escapes a lone surrogate as \\ud800 (httpx's own encoder refuses them)."""
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables})
    return await client.post("/graphql", content=body, headers=headers)


async def graphql(
    client: httpx.AsyncClient, query: str, variables: Any = None, *, token: str | None = None
) -> dict[str, Any]:
    response = await post_graphql(client, query, variables, token=token)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
