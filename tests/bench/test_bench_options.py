"""`billing-portal bench` refuses bad options with one line, before it starts any server."""

from __future__ import annotations

import pytest

from billing_portal.cli import main


@pytest.mark.parametrize(
    ("arguments", "complaint"),
    [
        (["--rounds", "0"], "--rounds must be at least 1"),
        (["--concurrency", "0"], "--concurrency must be at least 1"),
        (["--seconds", "0"], "--seconds must be positive"),
        (["--stripe-latency-ms", "-1"], "--stripe-latency-ms must not be negative"),
        (["--workload", "nope"], "unknown workload(s) ['nope']"),
        (["--database-url", "mysql://db/bench"], "--database-url must name a PostgreSQL server"),
    ],
)
def test_a_bad_option_is_refused_with_one_line(arguments, complaint, capsys):
    assert main(["bench", *arguments]) == 1

    error = capsys.readouterr().err
    assert error.startswith("billing-portal bench: ")
    assert complaint in error
    assert len(error.strip().splitlines()) == 1
