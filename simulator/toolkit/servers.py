"""Servers run as child processes on a loopback port: stripe-mock, the service, the bench's
baseline.

A child process rather than a thread: the server's CPU and memory are then its own to measure,
and it starts exactly as an operator starts it.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

LOOPBACK = "127.0.0.1"
POLL_SECONDS = 0.05
# How long one probe waits for an answer: a server that is up answers well within it even on a
# loaded two-core machine (a port nothing listens on refuses at once).
PROBE_SECONDS = 5.0
STOP_SECONDS = 15.0


class ServerDidNotStart(RuntimeError):
    """A child server exited or stayed silent during start-up; the message ends with its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def answers_http(host: str, port: int, path: str = "/", timeout: float = PROBE_SECONDS) -> bool:
    """True once anything answers HTTP there, whatever the status.

    An open TCP port is not enough: a published Docker port accepts connections before the
    server behind it runs.
    """
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path)
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


def local_port_of(url: str) -> int | None:
    """The port of an IPv4 loopback URL (where child servers listen), else None."""
    parts = urlsplit(url)
    if parts.hostname not in {LOOPBACK, "localhost"}:
        return None
    return parts.port or (443 if parts.scheme == "https" else 80)


@dataclass
class ChildServer:
    """`command` serving HTTP on `port` of the loopback interface, ready once `probe` answers.

    Its output goes to `log_path` (or an anonymous temporary file): a file, not a pipe, because
    nobody reads the output while it runs and a full pipe would block the server.
    """

    name: str
    command: Sequence[str]
    port: int
    probe: str = "/"
    environment: Mapping[str, str] | None = None
    """The child's whole environment; None inherits this process's."""
    log_path: Path | None = None
    start_seconds: float = 30.0
    probe_seconds: float = PROBE_SECONDS
    """How long one readiness probe waits for its answer."""
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)

    @classmethod
    def python_module(
        cls,
        name: str,
        arguments: Sequence[str],
        *,
        probe: str = "/",
        environment: Mapping[str, str] | None = None,
        log_path: Path | None = None,
    ) -> ChildServer:
        """`python -m <arguments> --port <a free port>` with this interpreter."""
        port = free_port()
        command = [sys.executable, "-m", *arguments, "--port", str(port)]
        return cls(name, command, port, probe=probe, environment=environment, log_path=log_path)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int:
        assert self._process is not None, "start() first"
        return self._process.pid

    def start(self) -> ChildServer:
        # Append mode: reading the tail moves the shared file offset, never where the child writes.
        self._log = (
            self.log_path.open("a+b")
            if self.log_path is not None
            else tempfile.TemporaryFile(mode="a+b")  # noqa: SIM115 - closed in stop()
        )
        self._process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            list(self.command),
            env=None if self.environment is None else dict(self.environment),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + self.start_seconds
        while not answers_http(LOOPBACK, self.port, self.probe, self.probe_seconds):
            exit_code = self._process.poll()
            if exit_code is not None:
                self._fail(f"exited with code {exit_code} during start-up")
            if time.monotonic() > deadline:
                self._fail(f"did not answer on {self.url} within {self.start_seconds:g}s")
            time.sleep(POLL_SECONDS)
        return self

    def _fail(self, what_happened: str) -> None:
        tail = self.log_tail()
        self.stop()
        raise ServerDidNotStart(f"{self.name} {what_happened}; its log ends: {tail or '(empty)'}")

    def log_tail(self, lines: int = 20) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode(errors="replace").strip()
        return "\n".join(text.splitlines()[-lines:])

    def wait(self) -> int:
        """Block until the server exits on its own; its exit code."""
        assert self._process is not None, "start() first"
        return self._process.wait()

    def stop(self) -> None:
        """Ask the server to stop, and kill it when it does not in time."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> ChildServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
