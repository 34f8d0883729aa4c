"""What the demo's code does, read from its source: it is an example an SPA developer copies,
so it must use only the public GraphQL API, and never turn data into HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import OperationDefinitionNode, build_schema, parse, validate

from billing_portal.demo.routes import STATIC_DIR
from schema.root import schema_sdl

SCRIPTS = sorted(STATIC_DIR.glob("*.js"))
DOCUMENT = re.compile(r"gql`([^`]*)`")
FETCHED = re.compile(r"\bfetch\(\s*([^,)]+)")
# Ways a script could parse a string as markup or code.
AS_HTML_OR_CODE = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(")
# Each block's file and the operations it sends.
BLOCK_OPERATIONS = {
    "pricing-block.js": {"PricingPlans", "StartCheckout"},
    "portal-block.js": {"PortalBlock", "OpenPortal"},
    "account.js": {"Account"},
    "admin-setup.js": {"SavePortalBlock"},
    "checkout-return.js": {"ConfirmCheckout"},
    "embedded-checkout.js": {"StartEmbeddedCheckout"},
}


def documents(script: Path) -> list[str]:
    return DOCUMENT.findall(script.read_text())


def operation_names(script: Path) -> set[str]:
    return {
        definition.name.value
        for document in documents(script)
        for definition in parse(document).definitions
        if isinstance(definition, OperationDefinitionNode) and definition.name is not None
    }


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
def test_every_graphql_document_is_valid_against_the_public_schema(script):
    schema = build_schema(schema_sdl())

    for document in documents(script):
        assert validate(schema, parse(document)) == [], document


@pytest.mark.parametrize(("name", "operations"), BLOCK_OPERATIONS.items())
def test_each_block_sends_its_own_operations(name, operations):
    assert operation_names(STATIC_DIR / name) == operations


def test_the_demo_asks_nothing_of_the_schema_itself():
    for script in SCRIPTS:
        assert "__schema" not in script.read_text()
        assert "__type" not in script.read_text()


def test_the_demo_talks_only_to_the_graphql_api_and_its_own_sign_in():
    targets = {
        target.strip() for script in SCRIPTS for target in FETCHED.findall(script.read_text())
    }

    assert targets == {"API_URL", '"/demo/config"', '"/demo/token"'}
    assert 'API_URL = "/graphql"' in (STATIC_DIR / "graphql.js").read_text()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
def test_no_script_turns_data_into_html(script):
    assert AS_HTML_OR_CODE.findall(script.read_text()) == []


def test_the_page_loads_nothing_from_another_host():
    page = (STATIC_DIR / "index.html").read_text()

    assert re.findall(r'(?:src|href)="(?:https?:)?//', page) == []
