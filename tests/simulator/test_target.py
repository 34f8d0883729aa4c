"""`--target`: the simulator drives a service that is already running, given its secrets."""

from __future__ import annotations

from simulator.harness import in_process_service
from simulator.report import Report
from simulator.runner import SimulationConfig, run_simulation


async def _run_against_a_running_service(
    stripe_mock, database, scenario: str, *, webhook_secret: str | None = None
) -> Report:
    async with in_process_service(stripe_mock.url, database, manage_database=False) as service:
        return await run_simulation(
            SimulationConfig(
                scenarios=(scenario,),
                targets=(service.base_url,),
                webhook_secret=webhook_secret or service.webhook_secret,
                jwt_secret=service.jwt_secret,
                stripe_mock_url=stripe_mock.url,
            )
        )


async def test_a_running_service_passes_as_a_target(stripe_mock, database):
    report = await _run_against_a_running_service(stripe_mock, database, "update_card_in_portal")

    assert report.passed, report.to_json()


async def test_a_target_with_another_webhook_secret_fails_setup_and_says_why(stripe_mock, database):
    report = await _run_against_a_running_service(
        stripe_mock, database, "immediate_cancel", webhook_secret="whsec_not_the_services"
    )

    assert not report.passed
    assert report.setup_failure == (
        "SetupFailed: publishing the catalog: "
        "webhook product.created was answered 400, expected 200"
    )
