"""`python -m tests.mutation`: break each webhook handler and mirror rule in turn, play every
scenario against each mutant, and report the mutants no scenario notices.

    .venv/bin/python -m tests.mutation [--jobs 2] [--only TEXT ...] [--json FILE]

First an unmutated run (the baseline) records which scenarios already fail and which mirrored
fields the journeys change; then each mutant runs in a child process of its own
(tests/mutation/child.py) and is killed when some scenario fails that did not fail unmutated. A
freeze of a field no journey changes, or a ranking of events no journey sends, is reported as not
exercised rather than as a survivor; a survivor no scenario can tell apart is explained, with the
reason, in equivalents.py. A child that crashes (a tree broken mid-edit crashes them all) counts
as neither killed nor survived.

Exit status: 0 when every exercised mutant is killed or explained, 1 when one survives
unexplained, a child crashed or an explanation went stale, 2 when the catalog no longer fits the
code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from simulator.toolkit.stripe_mock import StripeMockServer
from tests.mutation.catalog import Mutant, all_mutants, unexercised_event_types
from tests.mutation.child import CATALOG_OUT_OF_DATE
from tests.mutation.equivalents import BEYOND_THE_REFERENCE, EQUIVALENT

REPOSITORY = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_SECONDS = 900
EXPLAINED = {
    **{mutant_id: ("equivalent", reason) for mutant_id, reason in EQUIVALENT.items()},
    **{mutant_id: ("beyond the reference", r) for mutant_id, r in BEYOND_THE_REFERENCE.items()},
}


@dataclass
class Outcome:
    mutant: str
    kind: str
    verdict: str
    evidence: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class MutationReport:
    outcomes: list[Outcome]
    unexercised_types: list[str]

    def counted(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.verdict != "not exercised"]

    def with_verdict(self, *verdicts: str) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.verdict in verdicts]

    @property
    def passed(self) -> bool:
        return not self.with_verdict("survived", "stale explanation", "crashed", "error")

    def lines(self) -> list[str]:
        counted = self.counted()
        killed = self.with_verdict("killed", "stale explanation")
        lines = [
            f"mutation score: {len(killed)}/{len(counted)} mutants killed "
            f"({len(self.with_verdict('equivalent'))} survive as equivalent, "
            f"{len(self.with_verdict('beyond the reference'))} beyond the reference; "
            f"{len(self.outcomes) - len(counted)} more not exercised by any scenario)"
        ]
        verdicts = (
            "survived",
            "stale explanation",
            "crashed",
            "error",
            "equivalent",
            "beyond the reference",
            "not exercised",
        )
        for verdict in verdicts:
            listed = self.with_verdict(verdict)
            if listed:
                lines.append(f"{verdict} ({len(listed)}):")
                lines += [
                    f"  - {outcome.mutant}: {'; '.join(outcome.evidence)}" for outcome in listed
                ]
        lines.append(
            f"handled event types no scenario sends ({len(self.unexercised_types)}): "
            + ", ".join(self.unexercised_types)
        )
        return lines


async def _child(order: dict[str, Any]) -> tuple[int | None, dict[str, Any] | None, str]:
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        answer = Path(folder) / "answer.json"
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.mutation.child",
            cwd=REPOSITORY,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            _, errors = await asyncio.wait_for(
                process.communicate(json.dumps({**order, "answer": str(answer)}).encode()),
                CHILD_TIMEOUT_SECONDS,
            )
        except TimeoutError:
            process.kill()
            await process.wait()
            return None, None, f"timed out after {CHILD_TIMEOUT_SECONDS} s"
        result = json.loads(answer.read_text()) if answer.is_file() else None
        return process.returncode, result, errors.decode(errors="replace")[-2000:]


async def _run_mutant(
    candidate: Mutant, stripe_mock: str, baseline: dict[str, list[str]], changed: set[str]
) -> Outcome:
    unexercised = candidate.unexercised
    if candidate.field is not None and candidate.field not in changed:
        unexercised = f"no journey changes {candidate.field}"
    if unexercised is not None:
        return Outcome(candidate.id, candidate.kind, "not exercised", [unexercised])
    started = time.perf_counter()
    order = {"mutant": candidate.id, "stripe_mock": stripe_mock, "baseline": baseline}
    status, result, errors = await _child(order)
    seconds = round(time.perf_counter() - started, 1)
    if status is None:
        return Outcome(candidate.id, candidate.kind, "killed", [errors], seconds)
    if status == CATALOG_OUT_OF_DATE:
        return Outcome(candidate.id, candidate.kind, "error", [errors.strip()], seconds)
    if status != 0 or result is None:
        # Not counted as killed: a tree broken mid-edit crashes every child the same way.
        return Outcome(candidate.id, candidate.kind, "crashed", [errors.strip()[-600:]], seconds)
    if result["new_failures"]:
        verdict = "stale explanation" if candidate.id in EXPLAINED else "killed"
        return Outcome(candidate.id, candidate.kind, verdict, result["new_failures"][:2], seconds)
    if candidate.id in EXPLAINED:
        verdict, reason = EXPLAINED[candidate.id]
        return Outcome(candidate.id, candidate.kind, verdict, [reason], seconds)
    return Outcome(candidate.id, candidate.kind, "survived", ["no scenario failed"], seconds)


async def run(mutants: list[Mutant], jobs: int) -> MutationReport:
    with StripeMockServer() as server:
        status, baseline, errors = await _child(
            {"mutant": None, "stripe_mock": server.url, "record_changes": True}
        )
        if status != 0 or baseline is None:
            raise SystemExit(f"the unmutated baseline run failed: {errors}")
        for cell, lines in baseline["cells"].items():
            for line in lines:
                print(f"baseline already fails ({cell}): {line}", file=sys.stderr)
        changed = set(baseline["changed"])
        gate = asyncio.Semaphore(jobs)

        async def one(candidate: Mutant) -> Outcome:
            async with gate:
                outcome = await _run_mutant(candidate, server.url, baseline["cells"], changed)
            print(
                f"{outcome.verdict:>17}  {outcome.mutant}  ({outcome.seconds} s)", file=sys.stderr
            )
            return outcome

        outcomes = await asyncio.gather(*(one(candidate) for candidate in mutants))
    return MutationReport(list(outcomes), unexercised_event_types())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutation", description=__doc__)
    parser.add_argument("--jobs", type=int, default=2, help="mutants played at once")
    parser.add_argument("--only", action="append", help="mutants whose id contains this text")
    parser.add_argument("--json", metavar="FILE", help="also write every outcome there")
    args = parser.parse_args(argv)
    mutants = all_mutants()
    if args.only:
        mutants = [m for m in mutants if any(text in m.id for text in args.only)]
    stale = sorted(set(EXPLAINED) - {m.id for m in all_mutants()})
    if stale:
        print(f"equivalents.py explains mutants that do not exist: {stale}", file=sys.stderr)
        return 2
    report = asyncio.run(run(mutants, args.jobs))
    print("\n".join(report.lines()))
    if args.json:
        document = {"outcomes": [asdict(o) for o in report.outcomes], "passed": report.passed}
        Path(args.json).write_text(json.dumps(document, indent=2) + "\n")
    if report.with_verdict("error"):
        return 2
    return 0 if report.passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
