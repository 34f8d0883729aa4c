"""Golden traces: what the Stripe side must generate in each scenario, and the check of it.

Each scenario has a trace file here (`<scenario>.toml`) written from the behaviour reference
(`simulator/stripe_side/BEHAVIOUR.md`): per step, the bursts of events Stripe generates, the order
constraints Stripe guarantees (and only those), and key fields, each expectation naming the row it
comes from. The file format is in README.md here; the simulator's tests run
every scenario and check its journey against its trace, so a Stripe side that drifts from the
reference fails the suite even when the service copes with the drift.

    trace = load_trace("immediate_cancel")
    divergences = check_journey(trace, steps_of(journey_result), mode="flexible")
"""

from simulator.traces.checker import StepEvents, check_journey, steps_of
from simulator.traces.model import Trace, TraceInvalid, behaviour_rows, load_trace, trace_names

__all__ = [
    "StepEvents",
    "Trace",
    "TraceInvalid",
    "behaviour_rows",
    "check_journey",
    "load_trace",
    "steps_of",
    "trace_names",
]
