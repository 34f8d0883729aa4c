"""GraphQL input fuzzing: generated arguments for every query and mutation of the served schema
never make the server fail (a 5xx or INTERNAL_SERVER_ERROR), and a refused operation writes
nothing.

The documents come from `schema.graphql` (which a test keeps equal to the served schema): every
argument of the root field and of the fields selected under it gets a generated value, sent as a
variable or written inline. Values are mostly of the right shape (realistic ids and URLs, so some
requests reach Stripe) and often not: strings with controls, lone surrogates, direction
overrides and huge lengths, integers past 32 bits, nulls where a value is required, unknown
fields, and values of the wrong type altogether. Callers are anonymous, a known user, an admin,
or hold a token the door must refuse.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import graphql
import hypothesis
import pytest
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from tortoise import Tortoise, connections

from billing_portal.settings import Settings, load_settings
from services.models import PortalBlock
from tests.api.conftest import BASIC_PRICE, ONE_TIME_PRICE, PRO_PRICE, RETIRED_PRICE
from tests.hardening.support import post_graphql
from tests.support import error_codes

SCHEMA = graphql.build_schema(
    (Path(__file__).resolve().parents[2] / "schema.graphql").read_text(encoding="utf-8")
)
ROOT_FIELDS = [
    (operation, name)
    for operation, root in (("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type))
    if root is not None
    for name in root.fields
]
EXAMPLES_PER_FIELD = 100
SELECTION_DEPTH = 3
KNOWN_BLOCK_ID = "6f0c1a52-3c7e-4f7e-9d38-6a1f2b7c9e01"

REALISTIC_STRINGS = [
    BASIC_PRICE,
    PRO_PRICE,
    ONE_TIME_PRICE,
    RETIRED_PRICE,
    KNOWN_BLOCK_ID,
    str(uuid.UUID(int=0)),
    "https://localhost/welcome",
    "https://localhost/done?session={CHECKOUT_SESSION_ID}",
    "http://localhost:5173/billing",
    "at_period_end",
    "immediately",
    "Billing",
]
NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    chr(0xD800),
    "a\udfffb",
    "\u202eevil",
    "\ufeff",
    "null",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "%00",
    "{CHECKOUT_SESSION_ID}",
    "https://evil.example/",
    "https://localhost@evil.example/",
    "javascript:alert(1)",
    "https://localhost/\x00",
    "price_" + "9" * 300,
    "x" * 70_000,
    "\U0001f600" * 300,
]


class Bare(str):
    """An enum value: a string in variables, a bare name when written inline."""


def strings(name: str) -> st.SearchStrategy[str]:
    """Realistic values often (so that requests get far), hostile ones as often; a field named
    for a URL mostly gets URLs, good ones and ones with a hostile part."""
    anything = st.one_of(
        st.sampled_from(REALISTIC_STRINGS),
        st.sampled_from(NASTY_STRINGS),
        st.text(st.characters(exclude_categories=()), max_size=40),
        st.text(st.characters(max_codepoint=0x20), max_size=8),
    )
    if not name.lower().endswith("url"):
        return anything
    urls = st.sampled_from([url for url in REALISTIC_STRINGS if "://" in url])
    hostile = st.builds(lambda part: f"https://localhost/{part}", anything)
    return st.one_of(urls, urls, hostile, anything)


def integers(*, loose: bool) -> st.SearchStrategy[int]:
    """Small ones most often; 32-bit ones (GraphQL's Int); past 32 bits only when `loose`."""
    sized = st.integers(-(2**31), 2**31 - 1)
    if loose:
        sized = st.integers() | st.sampled_from([2**31, -(2**31) - 1, 2**53 + 1, 10**30])
    return st.integers(-3, 120) | sized


def scalars(kind: graphql.GraphQLScalarType, name: str, *, loose: bool) -> st.SearchStrategy[Any]:
    if kind.name == "Int":
        return integers(loose=loose)
    if kind.name == "Float":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind.name == "Boolean":
        return st.booleans()
    return strings(name)


ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(["a", "id", "unexpected"]), children, max_size=3)
    ),
    max_leaves=6,
)


def values(kind: graphql.GraphQLInputType, name: str, *, loose: bool) -> st.SearchStrategy[Any]:
    """A value for the argument or input field `name` of type `kind`, with hostile content;
    when `loose`, also of the wrong type, null where one is required, with unknown fields or
    without required ones."""
    shaped = _shaped(kind, name, loose=loose)
    return st.one_of(*[shaped] * 7, ANY_JSON) if loose else shaped


def _shaped(kind: graphql.GraphQLInputType, name: str, *, loose: bool) -> st.SearchStrategy[Any]:
    if isinstance(kind, graphql.GraphQLNonNull):
        inner = values(kind.of_type, name, loose=loose)
        return st.one_of(*[inner] * 5, st.none()) if loose else inner
    if isinstance(kind, graphql.GraphQLList):
        item = values(kind.of_type, name, loose=loose)
        return st.one_of(st.lists(item, max_size=4), item, st.builds(lambda one: [one] * 150, item))
    if isinstance(kind, graphql.GraphQLEnumType):
        names = st.sampled_from([Bare(value) for value in kind.values])
        return names | strings(name) if loose else names
    if isinstance(kind, graphql.GraphQLInputObjectType):
        return _input_objects(kind, loose=loose)
    assert isinstance(kind, graphql.GraphQLScalarType)
    return scalars(kind, name, loose=loose)


def _deferred_values(
    kind: graphql.GraphQLInputType, name: str, *, loose: bool
) -> st.SearchStrategy[Any]:
    """`values`, built when first drawn from: an input type may contain itself."""

    def definition() -> st.SearchStrategy[Any]:
        return values(kind, name, loose=loose)

    return st.deferred(definition)


def _input_objects(
    kind: graphql.GraphQLInputObjectType, *, loose: bool
) -> st.SearchStrategy[dict[str, Any]]:
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, field in kind.fields.items():
        strategy = _deferred_values(field.type, name, loose=loose)
        if graphql.is_non_null_type(field.type) and not loose:
            required[name] = strategy
        else:
            optional[name] = strategy
    if loose:
        optional["unexpectedField"] = strings("unexpectedField")
    return st.fixed_dictionaries(required, optional=optional)


Arguments = dict[str, tuple[str, graphql.GraphQLInputType]]
Render = Callable[[str], str]


def selection(
    kind: graphql.GraphQLOutputType, depth: int, path: str, arguments: Arguments, render: Render
) -> str:
    """A selection of every field under `kind` (to `depth`); `render` writes each argument."""
    named = graphql.get_named_type(kind)
    if not isinstance(named, graphql.GraphQLObjectType):
        return ""
    if depth == 0:
        return "{ __typename }"
    parts = [
        name
        + call(field.args, f"{path}_{name}", arguments, render)
        + selection(field.type, depth - 1, f"{path}_{name}", arguments, render)
        for name, field in named.fields.items()
    ]
    return "{ " + " ".join(parts) + " }"


def call(
    args: dict[str, graphql.GraphQLArgument], path: str, arguments: Arguments, render: Render
) -> str:
    """A field's arguments, each under a variable name unique in the document."""
    if not args:
        return ""
    for name, argument in args.items():
        arguments[f"{path}_{name}"] = (name, argument.type)
    return "(" + ", ".join(f"{name}: {render(f'{path}_{name}')}" for name in args) + ")"


def literal(value: Any) -> str:
    if isinstance(value, Bare):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return "{" + ", ".join(f"{key}: {literal(item)}" for key, item in value.items()) + "}"


def document(operation: str, field_name: str, render: Render) -> tuple[str, Arguments]:
    """The operation selecting `field_name`, and the type of every argument it passes."""
    root = SCHEMA.query_type if operation == "query" else SCHEMA.mutation_type
    assert root is not None
    field = root.fields[field_name]
    arguments: Arguments = {}
    arguments_text = call(field.args, "v", arguments, render)
    body = selection(field.type, SELECTION_DEPTH, "v", arguments, render)
    return f"{field_name}{arguments_text} {body}", arguments


@st.composite
def requests(draw: st.DrawFn, operation: str, field_name: str) -> tuple[str, dict[str, Any]]:
    """A document selecting `field_name` with generated arguments, and its variables."""
    fields, arguments = document(operation, field_name, lambda variable: f"${variable}")
    # Most requests are well-typed, so that they reach the services' own checks.
    loose = draw(st.integers(0, 3)) == 0
    generated = {
        variable: draw(values(kind, name, loose=loose))
        for variable, (name, kind) in arguments.items()
        if not loose or draw(st.integers(0, 9)) > 0  # a loose request may miss a variable
    }
    if draw(st.booleans()):
        inline, _ = document(
            operation, field_name, lambda variable: literal(generated.get(variable))
        )
        return f"{operation} {{ {inline} }}", {}
    definitions = ", ".join(f"${variable}: {kind}" for variable, (_, kind) in arguments.items())
    header = f"{operation} Fuzz({definitions})" if definitions else operation
    return f"{header} {{ {fields} }}", generated


CALLERS = ["anonymous", "user", "admin", "garbage", "over-long-subject", "nul-subject"]


@pytest.fixture
def settings(stripe_mock, database: str) -> Settings:
    """No session rate limit, so generated inputs reach validation instead of RATE_LIMITED."""
    return load_settings(
        billing_env="test",
        database_url=database,
        stripe_api_base=stripe_mock.url,
        rate_limit_sessions_per_minute=0,
    )


@pytest.fixture
async def callers(client, token_for, catalog) -> dict[str, str | None]:
    """Tokens by caller; the known user and admin exist already (their first request ran), so
    any row a refused request leaves behind is the request's."""
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "user": token_for("fuzz-user", email="fuzz@example.com"),
        "admin": token_for("fuzz-admin", admin=True),
        "garbage": "not.a.token",
        "over-long-subject": token_for("s" * 5000),
        "nul-subject": token_for("fuzz\x00user"),
    }
    for name in ("user", "admin"):
        response = await post_graphql(client, "query { viewer { id } }", token=tokens[name])
        assert response.status_code == 200
    await PortalBlock.create(
        id=uuid.UUID(KNOWN_BLOCK_ID), title="Billing", redirect_url="https://localhost/account"
    )
    return tokens


# Stripe may refuse a Checkout Session after the caller's Stripe customer was created: the
# customer exists then, so its link to the user is kept (the next checkout reuses it instead of
# creating another). That link is the one write such a refusal may leave.
STRIPE_REFUSALS = {"PAYMENT_PROVIDER_ERROR", "PAYMENT_PROVIDER_UNAVAILABLE"}
CUSTOMER_LINK = frozenset({"stripe_customer_id", "updated_at"})

Rows = dict[str, list[dict[str, Any]]]


async def stored_rows() -> Rows:
    connection = connections.get("default")
    rows = {}
    for model in Tortoise.apps["models"].values():
        table = model._meta.db_table
        rows[table] = await connection.execute_query_dict(f'SELECT * FROM "{table}"')
    return rows


def comparable(rows: Rows, *, ignoring: frozenset[str] = frozenset()) -> dict[str, list[str]]:
    """Each table's rows in a fixed order, the users' columns in `ignoring` left out."""
    return {
        table: sorted(
            repr(sorted((column, value) for column, value in row.items() if column not in ignoring))
            if table == "users"
            else repr(sorted(row.items()))
            for row in found
        )
        for table, found in rows.items()
    }


def may_link_a_customer(field_name: str, body: dict[str, Any]) -> bool:
    return field_name == "createCheckoutSession" and bool(STRIPE_REFUSALS & set(error_codes(body)))


@pytest.fixture
def last_stored() -> dict[str, Rows]:
    """The rows as the last accepted request left them (refusals must leave them so)."""
    return {}


@pytest.mark.parametrize(("operation", "field_name"), ROOT_FIELDS, ids=[f[1] for f in ROOT_FIELDS])
@hypothesis.settings(
    max_examples=EXAMPLES_PER_FIELD,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(data=st.data())
async def test_generated_arguments_never_fail_the_server_and_refusals_write_nothing(
    client, callers, last_stored, operation, field_name, data
):
    document, variables = data.draw(requests(operation, field_name), label="request")
    # Half of the requests come from the admin (a user too), so that they get past the door.
    caller = data.draw(st.just("admin") | st.sampled_from(CALLERS), "caller")
    if not last_stored:
        last_stored["rows"] = await stored_rows()

    response = await post_graphql(client, document, variables, token=callers[caller])

    assert response.status_code < 500, response.text
    body = response.json()
    assert "INTERNAL_SERVER_ERROR" not in error_codes(body), body
    refused = body.get("errors") and (body.get("data") or {}).get(field_name) is None
    now_stored = await stored_rows()
    if refused:
        ignoring = CUSTOMER_LINK if may_link_a_customer(field_name, body) else frozenset()
        assert comparable(now_stored, ignoring=ignoring) == comparable(
            last_stored["rows"], ignoring=ignoring
        )
    last_stored["rows"] = now_stored
