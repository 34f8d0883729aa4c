"""Two `billing-portal serve` processes on one PostgreSQL database under the simulator's chaos
journeys, every request (GraphQL and webhook delivery) going to the next instance in turn:
every journey passes, no event is lost, no user gets a second customer, and the per-user
session limit holds across both.

About two minutes on two cores: 208 customers (16 of each scenario a running service can pass:
the others need the in-process service, whose Stripe remembers portal configurations and
line items), 32 journeys at once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest

from simulator.bench.service import (
    ServiceSecrets,
    service_command,
    service_environment,
    service_server,
)
from simulator.report import Report
from simulator.runner import SimulationConfig, run_simulation
from simulator.toolkit.graphql import GraphQLClient
from simulator.toolkit.servers import ChildServer
from simulator.toolkit.tokens import TokenMinter
from tests.support import (
    configured_postgres_url,
    create_postgres_database,
    drop_postgres_database,
    error_codes,
)

pytestmark = pytest.mark.postgres_only

SCENARIOS = (
    "subscribe_then_cancel_in_portal",
    "reactivate_after_portal_cancel",
    "update_card_in_portal",
    "payment_failure_then_card_update",
    "trial_then_active",
    "renewal_over_two_periods",
    "dunning_ends_canceled",
    "dunning_ends_unpaid",
    "trial_without_card_pauses",
    "trial_without_card_cancels",
    "trial_without_card_invoices",
    "abandoned_checkout",
    "immediate_cancel",
)
CUSTOMERS = 16 * len(SCENARIOS)
JOURNEYS_AT_ONCE = 32
SESSIONS_PER_MINUTE = 20
CHECKOUT = (
    "mutation Checkout($input: CheckoutInput!) { createCheckoutSession(input: $input) { id } }"
)
PLANS = "query Plans { plans { priceId interval } }"


class Instances:
    """The two servers, their shared database and the secrets the simulator needs."""

    def __init__(self, database_url: str, environment: dict[str, str], secrets: ServiceSecrets):
        self.database_url = database_url
        self.environment = environment
        self.secrets = secrets
        self.servers: list[ChildServer] = []

    @property
    def urls(self) -> tuple[str, ...]:
        return tuple(server.url for server in self.servers)

    def requests_by_path(self, server: ChildServer) -> Counter[str]:
        """The paths of the requests the server logged (one JSON line each)."""
        assert server.log_path is not None
        paths: Counter[str] = Counter()
        for line in server.log_path.read_text().splitlines():
            record = json.loads(line) if line.startswith("{") else {}
            if record.get("logger") == "billing_portal.access":
                paths[record["path"]] += 1
        return paths


@pytest.fixture(scope="module")
async def database_url_of_both() -> AsyncIterator[str]:
    """A database of the module's own on the configured server, dropped afterwards."""
    server_url = configured_postgres_url()
    assert server_url is not None
    url, admin_dsn = await create_postgres_database(server_url)
    yield url
    await drop_postgres_database(admin_dsn, url)


@pytest.fixture(scope="module")
def instances(
    stripe_mock, database_url_of_both: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Instances]:
    """Both instances serving, on their database migrated as an operator would."""
    secrets = ServiceSecrets.generate()
    environment = service_environment(database_url_of_both, stripe_mock.url, secrets)
    environment["RATE_LIMIT_SESSIONS_PER_MINUTE"] = str(SESSIONS_PER_MINUTE)
    service_command(environment, "migrate")
    started = Instances(database_url_of_both, environment, secrets)
    logs = tmp_path_factory.mktemp("instances")
    try:
        for number in (1, 2):
            server = service_server(environment, logs / f"instance-{number}.log")
            started.servers.append(server.start())
        yield started
    finally:
        for server in started.servers:
            server.stop()


@pytest.fixture(scope="module")
async def journeys(instances: Instances, stripe_mock) -> Report:
    """The simulator's chaos journeys, spread over both instances."""
    return await run_simulation(
        SimulationConfig(
            scenarios=SCENARIOS,
            users=CUSTOMERS,
            concurrency=JOURNEYS_AT_ONCE,
            chaos=True,
            targets=instances.urls,
            webhook_secret=instances.secrets.webhook_secret,
            jwt_secret=instances.secrets.jwt_secret,
            stripe_mock_url=stripe_mock.url,
        )
    )


def test_every_journey_passes(journeys: Report):
    failed = [
        f"{j.customer}: {(j.failures or j.not_run)[:1]}" for j in journeys.journeys if not j.passed
    ]

    assert journeys.setup_failure is None
    assert len(journeys.journeys) == CUSTOMERS
    assert failed == []


def test_both_instances_serve_graphql_and_webhook_deliveries(instances: Instances, journeys):
    for server in instances.servers:
        paths = instances.requests_by_path(server)
        assert paths["/webhooks/stripe"] > CUSTOMERS
        assert paths["/graphql"] > CUSTOMERS


async def test_no_event_is_lost(instances: Instances, journeys: Report):
    generated = {
        event["id"]
        for journey in journeys.journeys
        for step in journey.steps
        for batch in step.deliveries.batches
        for event in batch
    }

    stored = json.loads(service_command(instances.environment, "events", "--json"))

    assert stored["failed"] == 0
    assert stored["processed"] + stored["ignored"] >= len(generated)
    assert await applied_events(instances.database_url, generated) == generated


async def test_no_user_gets_a_second_customer(instances: Instances, journeys):
    linked, mirrored = await customers_of_users(instances.database_url)

    assert len(linked) == CUSTOMERS
    assert set(mirrored) <= set(linked)
    assert all(mirrored[user] == {linked[user]} for user in mirrored)


async def test_the_session_limit_holds_across_both_instances(instances: Instances, journeys):
    accepted = await checkouts_accepted_across(instances, attempts=2 * SESSIONS_PER_MINUTE + 4)

    assert accepted == SESSIONS_PER_MINUTE


async def applied_events(database_url: str, event_ids: set[str]) -> set[str]:
    """Which of `event_ids` the event log holds as applied (processed or ignored)."""
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch(
            "SELECT id FROM stripe_events "
            "WHERE id = ANY($1) AND status IN ('processed', 'ignored')",
            list(event_ids),
        )
    finally:
        await connection.close()
    return {row["id"] for row in rows}


async def customers_of_users(database_url: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Each simulated user's linked customer, and the customers the mirror holds for them."""
    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        users = await connection.fetch(
            "SELECT external_id, stripe_customer_id FROM users "
            "WHERE external_id LIKE 'sim-%' AND stripe_customer_id IS NOT NULL"
        )
        customers = await connection.fetch(
            "SELECT user_external_id, id FROM customers WHERE user_external_id IS NOT NULL"
        )
    finally:
        await connection.close()
    mirrored: dict[str, set[str]] = {}
    for row in customers:
        mirrored.setdefault(row["user_external_id"], set()).add(row["id"])
    return {row["external_id"]: row["stripe_customer_id"] for row in users}, mirrored


async def checkouts_accepted_across(instances: Instances, *, attempts: int) -> int:
    """One new user asks for Checkout `attempts` times, on each instance in turn."""
    token = TokenMinter(instances.secrets.jwt_secret).mint("rate-limited-user")
    async with httpx.AsyncClient(timeout=30) as http:
        first, second = (GraphQLClient(http, f"{url}/graphql", token) for url in instances.urls)
        plans = (await first.data("Plans", PLANS))["plans"]
        price_id = next(plan["priceId"] for plan in plans if plan["interval"])
        checkout = {
            "input": {
                "priceId": price_id,
                "successUrl": "https://localhost/account",
                "cancelUrl": "https://localhost/account",
            }
        }
        accepted = 0
        for attempt in range(attempts):
            instance = (first, second)[attempt % 2]
            body = (await instance.post(CHECKOUT, checkout)).json()
            codes = error_codes(body)
            assert codes in ([], ["RATE_LIMITED"]), body
            accepted += not codes
    return accepted
