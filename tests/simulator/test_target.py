"""`--target`: the simulator drives a service that is already running, given its secrets."""

from __future__ import annotations

from simulator import SimulationConfig, run_simulation
from simulator.environment import in_process_service


async def test_a_running_service_passes_as_a_target(stripe_mock, database):
    async with in_process_service(stripe_mock.url, database, manage_database=False) as service:
        report = await run_simulation(
            SimulationConfig(
                scenarios=("update_card_in_portal",),
                target=service.base_url,
                webhook_secret=service.webhook_secret,
                jwt_secret=service.jwt_secret,
                stripe_mock_url=stripe_mock.url,
            )
        )

    assert report.passed, report.to_json()


async def test_a_target_with_another_webhook_secret_fails_setup_and_says_why(stripe_mock, database):
    async with in_process_service(stripe_mock.url, database, manage_database=False) as service:
        report = await run_simulation(
            SimulationConfig(
                scenarios=("immediate_cancel",),
                target=service.base_url,
                webhook_secret="whsec_not_the_one_the_service_has",
                jwt_secret=service.jwt_secret,
                stripe_mock_url=stripe_mock.url,
            )
        )

    assert not report.passed
    assert report.setup_failure == (
        "SetupFailed: publishing the catalog: "
        "webhook product.created was answered 400, expected 200"
    )
