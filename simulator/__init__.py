"""The customer-journey simulator (contract section 6): an outside client of the service.

Library use (pytest, scripts)::

    report = await run_simulation(SimulationConfig(scenarios=("immediate_cancel",), seed=3))
    assert report.passed, report.to_json()

It never imports the service's internals: it starts the app only to serve it over HTTP, then
drives GraphQL as an SPA would and plays Stripe (see simulator.stripe_side).
"""

from simulator.report import JourneyResult, Report, StepResult
from simulator.runner import SimulationConfig, run_simulation
from simulator.scenarios import SCENARIOS

__all__ = [
    "SCENARIOS",
    "JourneyResult",
    "Report",
    "SimulationConfig",
    "StepResult",
    "run_simulation",
]
