"""One mutation run, in a process of its own: apply one mutant (or none), then play the scenarios.

`python -m tests.mutation.child` reads its order as JSON on stdin and writes its answer as JSON
to the file the order names (stdout is the service's and the simulator's to print on):

    order:  {"mutant": "drop invoice.paid" | null, "stripe_mock": URL, "answer": PATH,
             "baseline": {cell: [failure lines]} | null, "record_changes": bool}
    answer: {"cells": {cell: [failure lines]}, "new_failures": [lines], "changed": ["Model.field"]}

The service runs in this process (the simulator's in-process harness, its own temporary SQLite
database per cell), so a runtime patch reaches it, and dies with the process: no mutant can leak
into the next. Cells are played in a fixed order and, given a baseline, the run stops at the
first cell with a failure the baseline did not have: that mutant is killed.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import pytest

from simulator.billing_modes import BILLING_MODES
from simulator.runner import run_simulation
from tests.mutation.catalog import MutantTargetGone, mutant, record_changes
from tests.mutation.writes import ChangeRecorder
from tests.simulator.scenario_matrix import cell_config, cell_id

CELLS = [(mode, chaos) for chaos in (False, True) for mode in BILLING_MODES]
CATALOG_OUT_OF_DATE = 3


async def play(order: dict[str, Any]) -> dict[str, Any]:
    baseline: dict[str, list[str]] | None = order.get("baseline")
    cells: dict[str, list[str]] = {}
    new_failures: list[str] = []
    for mode, chaos in CELLS:
        name = cell_id(mode, chaos)
        report = await run_simulation(
            cell_config(mode, chaos, stripe_mock_url=order["stripe_mock"])
        )
        lines = [f"setup: {report.setup_failure}"] if report.setup_failure else []
        lines += [
            f"{journey.scenario} ({journey.customer}): {failure}"
            for journey in report.journeys
            for failure in journey.failures
        ]
        cells[name] = lines
        if baseline is not None:
            known = set(baseline.get(name, []))
            new_failures = [f"{name} {line}" for line in lines if line not in known]
            if new_failures:
                break
    return {"cells": cells, "new_failures": new_failures}


def main() -> int:
    order = json.load(sys.stdin)
    recorder = ChangeRecorder()
    with pytest.MonkeyPatch.context() as patch:
        try:
            if order.get("mutant"):
                mutant(order["mutant"]).apply(patch)
        except (MutantTargetGone, KeyError) as error:
            print(f"the mutant cannot be applied: {error}", file=sys.stderr)
            return CATALOG_OUT_OF_DATE
        if order.get("record_changes"):
            record_changes(patch, recorder)
        result = asyncio.run(play(order))
    result["changed"] = sorted(recorder.changed)
    with open(order["answer"], "w", encoding="utf-8") as answer:
        json.dump(result, answer)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
