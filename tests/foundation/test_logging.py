"""Log lines are single JSON objects a log pipeline can read without parsing rules."""

from __future__ import annotations

import json
import logging
import sys

from billing_portal.logging_setup import JsonFormatter, request_id_var


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
