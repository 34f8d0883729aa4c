"""What a person watching the run sees: a progress bar, then a summary table (rich)."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from simulator.report import Report

MAX_LISTED_FAILURES = 20


def progress_bar(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]journeys"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def print_summary(console: Console, report: Report) -> None:
    if report.setup_failure is not None:
        console.print(f"[red]setup failed:[/red] {report.setup_failure}")
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0, 0])
    for journey in report.journeys:
        row = rows[journey.scenario]
        row[0] += 1
        row[1] += journey.passed
        for step in journey.steps:
            row[2] += step.deliveries.events
            row[3] += step.deliveries.duplicates
            row[4] += step.deliveries.forged_rejected
        row[5] += len(journey.steps)
    table = Table(title=f"billing-portal simulate (seed {report.seed}, chaos {report.chaos})")
    table.add_column("scenario", no_wrap=True)
    for heading in ("journeys", "passed", "failed", "steps", "events", "duplicates", "forged"):
        table.add_column(heading, justify="right")
    for scenario, (count, passed, events, duplicates, forged, steps) in sorted(rows.items()):
        failed = count - passed
        table.add_row(
            scenario,
            str(count),
            f"[green]{passed}[/green]",
            f"[red]{failed}[/red]" if failed else "0",
            str(steps),
            str(events),
            str(duplicates),
            str(forged),
        )
    console.print(table)
    failed_journeys = [journey for journey in report.journeys if not journey.passed]
    for journey in failed_journeys[:MAX_LISTED_FAILURES]:
        console.print(f"[red]FAILED[/red] {journey.customer} ({journey.scenario})")
        for line in journey.failures:
            console.print(f"    {line}", markup=False)
        for skipped in journey.not_run:
            console.print(f"    not run: {skipped}", markup=False)
    verdict = "[green]all journeys passed[/green]" if report.passed else "[red]failures[/red]"
    console.print(
        f"{verdict}: {len(report.journeys)} journeys in {report.wall_seconds:.1f}s "
        f"({report.journeys_per_second:.1f} journeys/s)"
    )
