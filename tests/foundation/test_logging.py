"""Log lines are single JSON objects a log pipeline can read without parsing rules."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator

import pytest

from billing_portal.logging_setup import (
    JsonFormatter,
    configure_logging,
    request_id_var,
    stop_logging,
)


def record(message: str, **extra: object) -> logging.LogRecord:
    entry = logging.LogRecord(
        "billing_portal.test", logging.WARNING, __file__, 1, message, None, None
    )
    entry.__dict__.update(extra)
    return entry


def test_a_line_carries_level_logger_message_and_extra_fields():
    entry = json.loads(JsonFormatter().format(record("stripe call failed", stripe_status=402)))

    assert entry["level"] == "warning"
    assert entry["logger"] == "billing_portal.test"
    assert entry["msg"] == "stripe call failed"
    assert entry["stripe_status"] == 402


def test_a_line_written_during_a_request_names_the_request():
    token = request_id_var.set("req-7")
    try:
        line = JsonFormatter().format(record("inside a request"))
    finally:
        request_id_var.reset(token)

    assert json.loads(line)["request_id"] == "req-7"


def test_a_traceback_stays_inside_one_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        failing = record("unexpected error")
        failing.exc_info = sys.exc_info()

    line = JsonFormatter().format(failing)

    assert "\n" not in line
    assert "RuntimeError: boom" in json.loads(line)["exc"]


def test_uvicorns_colored_duplicate_of_the_message_is_dropped():
    line = JsonFormatter().format(record("Started", color_message="\x1b[36mStarted\x1b[0m"))

    assert "color_message" not in json.loads(line)


@pytest.fixture
def configured(capsys) -> Iterator[Callable[[], list[dict[str, object]]]]:
    """A function that writes what the service's logging (set up by the test, on the stderr
    it captures) has queued and returns every line written since, parsed. The root logger is
    as it was afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level

    def written() -> list[dict[str, object]]:
        stop_logging()
        return [json.loads(line) for line in capsys.readouterr().err.splitlines()]

    try:
        yield written
    finally:
        stop_logging()
        root.handlers[:], root.level = handlers, level


def test_a_line_logged_during_a_request_is_written_with_its_request_id(configured):
    configure_logging()
    token = request_id_var.set("req-9")
    try:
        logging.getLogger("billing_portal.test").warning("inside a request")
    finally:
        request_id_var.reset(token)

    [line] = configured()
    assert (line["msg"], line["request_id"]) == ("inside a request", "req-9")


def test_a_queued_line_keeps_its_arguments_and_traceback(configured):
    configure_logging()
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("billing_portal.test").exception("failed for %s", "cus_1")

    [line] = configured()
    assert line["msg"] == "failed for cus_1"
    assert "RuntimeError: boom" in str(line["exc"])


def test_every_queued_line_is_written_when_logging_stops(configured):
    configure_logging()
    for number in range(500):
        logging.getLogger("billing_portal.test").info("line %d", number)

    assert [line["msg"] for line in configured()] == [f"line {n}" for n in range(500)]
