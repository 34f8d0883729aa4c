"""A child server is ready once it answers HTTP, stops for good, and explains a failed start."""

from __future__ import annotations

import os
import sys

import pytest

from simulator.toolkit.servers import ChildServer, ServerDidNotStart, answers_http, free_port


def _python(code: str, *, start_seconds: float = 30.0) -> ChildServer:
    command = [sys.executable, "-c", code]
    return ChildServer("the server", command, free_port(), start_seconds=start_seconds)


def test_a_python_module_serves_on_its_own_port_until_stopped(tmp_path):
    server = ChildServer.python_module(
        "baseline",
        ["uvicorn", "simulator.bench.baseline_app:app", "--log-level", "warning"],
        probe="/graphql",
        environment={**os.environ, "DATABASE_URL": f"sqlite://{tmp_path / 'floor.db'}"},
        log_path=tmp_path / "baseline.log",
    )

    with server:
        assert answers_http("127.0.0.1", server.port, "/graphql")
    assert not answers_http("127.0.0.1", server.port)


def test_a_server_that_exits_at_start_says_so_with_the_end_of_its_log():
    server = _python("import sys; print('DATABASE_URL is missing'); sys.exit(3)")

    with pytest.raises(ServerDidNotStart) as failure:
        server.start()

    message = str(failure.value)
    assert message.startswith("the server exited with code 3 during start-up")
    assert message.endswith("its log ends: DATABASE_URL is missing")


def test_a_server_that_never_answers_is_stopped_after_its_start_time():
    server = _python("import time; time.sleep(60)", start_seconds=0.3)

    with pytest.raises(ServerDidNotStart, match=r"did not answer on .* within 0.3s"):
        server.start()
    with pytest.raises(AssertionError, match="start"):
        _ = server.pid
