"""Structured logs: one JSON object per line, so a log pipeline needs no parsing rules.

Lines are formatted and written by a thread of their own, behind a queue: a write to stderr
blocks while whatever reads it (a terminal, a log shipper under back-pressure) is slow, and on
the event loop that would hold up every request. The request id is taken where the record is
made, since the thread runs outside the request's context.
"""

from __future__ import annotations

import atexit
import json
import logging
import queue
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from logging.handlers import QueueHandler, QueueListener
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# uvicorn's `color_message` repeats `msg` with terminal escapes: useless in a JSON line.
_STANDARD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "color_message"}
)
# Client libraries log every outgoing call at INFO; one line per incoming request is the budget.
_CHATTY_LOGGERS = ("httpx", "stripe")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id is not None:
            entry["request_id"] = request_id
        entry.update(
            (key, value)
            for key, value in record.__dict__.items()
            if key not in _STANDARD_ATTRIBUTES
        )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class _RequestQueueHandler(QueueHandler):
    """Hands records to the writing thread as they are, with the request id they were made in.

    `QueueHandler.prepare` would format each record here (on the event loop) and drop its
    traceback; the JSON formatter does both on the writing thread instead.
    """

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        record.msg, record.args = record.getMessage(), None
        if "request_id" not in record.__dict__:
            request_id = request_id_var.get()
            if request_id is not None:
                record.request_id = request_id
        return record


_listener: QueueListener | None = None


def configure_logging(level: str = "INFO") -> None:
    global _listener
    stop_logging()
    writer = logging.StreamHandler(sys.stderr)
    writer.setFormatter(JsonFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = QueueListener(records, writer, respect_handler_level=True)
    _listener.start()
    root = logging.getLogger()
    root.handlers[:] = [_RequestQueueHandler(records)]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True  # replaced by our one line per request
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


@atexit.register
def stop_logging() -> None:
    """Write the lines still queued and stop the writing thread (at the latest when the process
    ends, so that no line is lost)."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None
