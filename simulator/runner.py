"""`run_simulation`: set the stage, run every journey (N customers, C at a time), report.

Each journey has its own user, its own simulated clock and its own seeded chaos, so what it sends
and what it expects do not depend on how the concurrent journeys interleave.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from simulator.access import ACCESS_GROUPS, group_keys
from simulator.app_users import AppAdmin, AppUser
from simulator.billing_modes import DEFAULT_BILLING_MODE, BillingMode
from simulator.expectations import State, differences, observe
from simulator.harness import Target, in_process_service
from simulator.journey import Journey, StepFailed
from simulator.naming import Roles
from simulator.report import JourneyResult, Report, StepResult
from simulator.scenarios import PAST_DUE_GRACE_DAYS, SCENARIOS, Scenario, Step
from simulator.simulated_time import moment_header
from simulator.stripe_side.api import StripeApi, StripeRequestRejected
from simulator.stripe_side.api_recorder import recording
from simulator.stripe_side.api_versions import BASIL, well_formed
from simulator.stripe_side.checkout_line_items import CheckoutLineItems
from simulator.stripe_side.clock import SimClock
from simulator.stripe_side.completed_checkouts import CompletedCheckouts
from simulator.stripe_side.portal_configurations import PortalConfigurations, PortalRefused
from simulator.stripe_side.settings import BillingSettings
from simulator.stripe_side.side import StripeSide
from simulator.stripe_side.webhooks import Chaos, WebhookEndpoint
from simulator.toolkit.connections import service_client
from simulator.toolkit.graphql import GraphQLClient, ServiceRefused, ServiceUnreachable
from simulator.toolkit.stripe_mock import stripe_mock_at
from simulator.toolkit.tokens import TokenMinter

BLOCK_TITLE = "Manage your subscription"
EXPECTED_FAILURES = (
    StepFailed,
    ServiceRefused,
    ServiceUnreachable,
    StripeRequestRejected,
    PortalRefused,
)


@dataclass(frozen=True)
class SimulationConfig:
    """One run. Without `targets` the service is started in-process (see simulator.harness);
    with several, they are instances of one service on one database, each request going to the
    next in turn.

    `users` defaults to one per scenario; customers take the scenarios in turn. Checkout gives
    every subscription of the run `billing_mode`; a scenario expects the same in either mode,
    as a right app shows one cancellation the same whichever fields Stripe set. `namespace`
    keeps the ids of one run apart from another's in a shared database; it never reaches the
    report.

    `past_due_grace` gives the in-process service a past-due grace of PAST_DUE_GRACE_DAYS, and
    the steps that fall within it expect the subscriber still in (`Step.expect_within_grace`);
    without it the service has none.
    """

    scenarios: tuple[str, ...] = tuple(SCENARIOS)
    users: int | None = None
    concurrency: int = 8
    seed: int = 1
    chaos: bool = False
    billing_mode: BillingMode = DEFAULT_BILLING_MODE
    # The webhook endpoint's API version, which events are rendered in (default: the SDK's).
    api_version: str | None = None
    targets: tuple[str, ...] = ()
    webhook_secret: str | None = None
    jwt_secret: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    stripe_mock_url: str | None = None
    database_url: str | None = None
    manage_database: bool = True
    namespace: str | None = None
    redirect_url: str = "https://localhost/account"
    # Stripe sends the browser back from Checkout before any of its webhooks: the journey
    # confirms the session on the success page (confirmCheckout), which must show the step's
    # state at once; the webhooks follow.
    webhooks_after_return: bool = False
    past_due_grace: bool = False

    def __post_init__(self) -> None:
        unknown = [name for name in self.scenarios if name not in SCENARIOS]
        if unknown:
            raise ValueError(f"unknown scenario {unknown[0]!r}; known: {', '.join(SCENARIOS)}")
        if not self.scenarios:
            raise ValueError("choose at least one scenario")
        if self.user_count < len(self.scenarios):
            raise ValueError(
                f"--users must be at least the number of scenarios ({len(self.scenarios)})"
            )
        if self.concurrency < 1:
            raise ValueError("--concurrency must be at least 1")
        if self.webhooks_after_return and self.targets:
            raise ValueError(
                "--webhooks-after-return needs the in-process service: only its Stripe answers "
                "for a journey's own Checkout Sessions"
            )
        if self.past_due_grace and self.targets:
            raise ValueError(
                "--past-due-grace needs the in-process service: only its time of day follows "
                "each journey's simulated clock"
            )
        if self.targets and not (self.webhook_secret and self.jwt_secret):
            raise ValueError("--target needs the webhook secret and the JWT secret of that service")
        if self.api_version is not None and not well_formed(self.api_version):
            raise ValueError(
                f"--api-version {self.api_version!r} is not an API version like {BASIL}"
            )

    @property
    def user_count(self) -> int:
        return self.users if self.users is not None else len(self.scenarios)


JourneyDone = Callable[[JourneyResult], None]


async def run_simulation(config: SimulationConfig, on_journey: JourneyDone | None = None) -> Report:
    report = Report(
        seed=config.seed,
        chaos=config.chaos,
        billing_mode=config.billing_mode,
        webhooks_after_return=config.webhooks_after_return,
        past_due_grace=config.past_due_grace,
        scenarios=list(config.scenarios),
        users=config.user_count,
        concurrency=config.concurrency,
    )
    async with _stage(config) as stage:
        try:
            block_id = await stage.set_up()
        except (*EXPECTED_FAILURES, SetupFailed) as error:
            report.setup_failure = f"{type(error).__name__}: {error}"
            return report
        gate = asyncio.Semaphore(config.concurrency)

        async def one(index: int) -> JourneyResult:
            async with gate:
                scenario = SCENARIOS[config.scenarios[(index - 1) % len(config.scenarios)]]
                journey = stage.journey(index, block_id, scenario.stripe_settings)
                result = await run_journey(journey, scenario, past_due_grace=config.past_due_grace)
            if on_journey is not None:
                on_journey(result)
            return result

        started = time.perf_counter()
        report.journeys = list(
            await asyncio.gather(*(one(index) for index in range(1, config.user_count + 1)))
        )
        report.wall_seconds = time.perf_counter() - started
    return report


class SetupFailed(Exception):
    """The stage could not be set (catalog or portal block refused)."""


@dataclass(frozen=True)
class Stage:
    """What every journey of a run shares: the service, the simulated Stripe, one HTTP pool."""

    config: SimulationConfig
    namespace: str
    target: Target
    side: StripeSide
    http: httpx.AsyncClient

    def _graphql(
        self,
        subject: str,
        *,
        email: str | None = None,
        admin: bool = False,
        clock: SimClock | None = None,
    ) -> GraphQLClient:
        """The caller's client; with `clock`, each request names the moment it reads then."""
        target = self.target
        minter = TokenMinter(target.jwt_secret, target.jwt_audience, target.jwt_issuer)
        token = minter.mint(subject, email=email, admin=admin)
        situation = (lambda: moment_header(clock)) if clock is not None else None
        return GraphQLClient(self.http, f"{target.base_url}/graphql", token, situation=situation)

    def user(self, user_id: str, email: str, clock: SimClock) -> AppUser:
        """A journey's user, asking the service at the moments of the journey's `clock`."""
        return AppUser(self._graphql(user_id, email=email, clock=clock))

    def admin(self) -> AppAdmin:
        return AppAdmin(self._graphql(f"sim-{self.namespace}-admin", admin=True))

    async def set_up(self) -> str:
        """Publish the catalog, then, as an admin, configure the portal (customers may switch
        between the recurring prices), save the access groups and the portal block; returns
        the block's id."""
        published = await self.side.publish_catalog()
        if published.problems:
            raise SetupFailed(f"publishing the catalog: {published.problems[0]}")
        recurring = [entry.price_id for entry in self.side.catalog.values() if entry.recurring]
        await self.admin().configure_customer_portal(recurring)
        keys = group_keys(self.namespace)
        for plan in ACCESS_GROUPS:
            products = [self.side.catalog[role].product_id for role in plan.products]
            await self.admin().save_access_group(
                keys[plan.name], plan.title, plan.condition, products
            )
        redirect_url = self.config.redirect_url
        block = await self.admin().save_portal_block(BLOCK_TITLE, redirect_url)
        if block["redirectUrl"] != redirect_url:
            raise SetupFailed(f"savePortalBlock stored redirectUrl {block['redirectUrl']}")
        return str(block["id"])

    def journey(self, index: int, block_id: str, settings: BillingSettings) -> Journey:
        """Customer `index`'s journey; its Stripe customer is billed under `settings`."""
        role = f"customer {index}"
        seeded = random.Random(f"{self.config.seed}/{index}")  # noqa: S311 - reproducible
        user_id = f"sim-{self.namespace}-{index}"
        email = f"customer{index}@simulated.example"
        stripe_customer = self.side.customer_for(
            role, Roles(), Chaos(seeded if self.config.chaos else None), settings
        )
        return Journey(
            role=role,
            user_id=user_id,
            email=email,
            user=self.user(user_id, email, stripe_customer.clock),
            stripe_customer=stripe_customer,
            catalog=self.side.catalog,
            block_id=block_id,
            redirect_url=self.config.redirect_url,
            access_groups={key: name for name, key in group_keys(self.namespace).items()},
            webhooks_after_return=self.config.webhooks_after_return,
        )


def _default_namespace(config: SimulationConfig) -> str:
    # A running service keeps earlier runs' users and events: a fresh namespace avoids them.
    fresh = bool(config.targets) or not config.manage_database
    return f"s{config.seed}-{secrets.token_hex(4)}" if fresh else f"s{config.seed}"


@asynccontextmanager
async def _stage(config: SimulationConfig) -> AsyncIterator[Stage]:
    async with AsyncExitStack() as stack:
        mock_url = await stack.enter_async_context(stripe_mock_at(config.stripe_mock_url))
        portal_configurations = PortalConfigurations()
        line_items = CheckoutLineItems()
        checkouts = CompletedCheckouts()
        if not config.targets:
            # The in-process service's Stripe calls pass the recorder, which remembers what
            # stripe-mock forgets: the portal configuration each portal session shows, and
            # each completed Checkout Session with what it sold.
            stripe_url = await stack.enter_async_context(
                recording(mock_url, portal_configurations, line_items, checkouts)
            )
            target = await stack.enter_async_context(
                in_process_service(
                    stripe_url,
                    config.database_url,
                    manage_database=config.manage_database,
                    past_due_grace_days=PAST_DUE_GRACE_DAYS if config.past_due_grace else 0,
                )
            )
        else:
            assert config.webhook_secret is not None
            assert config.jwt_secret is not None
            target = Target(
                base_url=config.targets[0].rstrip("/"),
                webhook_secret=config.webhook_secret,
                jwt_secret=config.jwt_secret,
                jwt_audience=config.jwt_audience,
                jwt_issuer=config.jwt_issuer,
            )
        http = await stack.enter_async_context(
            service_client(config.concurrency, [url.rstrip("/") for url in config.targets])
        )
        api = StripeApi(mock_url)
        stack.push_async_callback(api.close)
        endpoint = WebhookEndpoint(
            http,
            f"{target.base_url}/webhooks/stripe",
            target.webhook_secret,
            api_version=config.api_version,
        )
        namespace = config.namespace or _default_namespace(config)
        side = StripeSide(
            api,
            endpoint,
            namespace,
            billing_mode=config.billing_mode,
            portal_configurations=portal_configurations,
            line_items=line_items,
            completed_checkouts=checkouts,
        )
        yield Stage(config, namespace, target, side, http)


async def run_journey(
    journey: Journey, scenario: Scenario, *, past_due_grace: bool = False
) -> JourneyResult:
    """Run the steps in order; the first failed step ends the journey (the rest are not run).
    With `past_due_grace` the service gives past-due subscriptions the simulator's grace."""
    result = JourneyResult(customer=journey.role, scenario=scenario.name)
    started = time.perf_counter()
    for position, step in enumerate(scenario.steps):
        outcome = await _run_step(journey, step, step.expected(past_due_grace=past_due_grace))
        result.steps.append(outcome)
        if not outcome.passed:
            result.not_run = [later.description for later in scenario.steps[position + 1 :]]
            break
    result.duration_ms = round((time.perf_counter() - started) * 1000, 1)
    return result


async def _run_step(journey: Journey, step: Step, expected: State) -> StepResult:
    started = time.perf_counter()
    failures: list[str] = []
    try:
        await step.action(journey)
    except EXPECTED_FAILURES as error:
        failures.append(str(error))
    success_page = journey.take_success_page()
    deliveries = journey.stripe_customer.log.take()
    failures += deliveries.problems
    if not failures and success_page is not None:
        failures += _success_page_failures(journey, success_page, expected)
    if not failures:
        try:
            failures += differences(expected, _observe(journey, await journey.user.viewer()))
        except EXPECTED_FAILURES as error:
            failures.append(f"reading viewer: {error}")
    return StepResult(
        description=step.description,
        expected=expected.as_dict(),
        deliveries=deliveries,
        failures=[journey.roles.describe(failure) for failure in failures],
        duration_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def _observe(journey: Journey, viewer: dict[str, Any]) -> State:
    return observe(
        viewer,
        subscription_id=journey.subscription_id,
        catalog=journey.catalog,
        roles=journey.roles,
        clock=journey.stripe_customer.clock,
        access_groups=journey.access_groups,
    )


def _success_page_failures(journey: Journey, shown: dict[str, Any], expected: State) -> list[str]:
    """What confirmCheckout showed on the success page, before any webhook of the step: the
    step's state, but for the Stripe features, which only their summary's own event brings."""
    observed = _observe(journey, shown).but(entitlements=expected.entitlements)
    return [f"on the success page, {failure}" for failure in differences(expected, observed)]
