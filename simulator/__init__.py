"""The customer-journey simulator: an outside client of the service.

Library use (pytest, scripts)::

    from simulator.runner import SimulationConfig, run_simulation

    report = await run_simulation(SimulationConfig(scenarios=("immediate_cancel",), seed=3))
    assert report.passed, report.to_json()

It drives GraphQL as an SPA would and plays Stripe (see simulator.stripe_side); only
simulator.harness touches the service's code, to host it in-process over real HTTP. This package
imports nothing itself: the command line loads the stripe-mock launcher of simulator.toolkit
without the rest.
"""
