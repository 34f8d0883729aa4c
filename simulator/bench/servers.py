"""Servers the bench starts as child processes, and their memory high-water mark."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from billing_portal.stripe_mock import free_port
from simulator.bench.errors import BenchFailed


class ServerFailed(BenchFailed):
    """A server the bench started did not come up; the message ends with its log's tail."""


@dataclass
class ServerProcess:
    """A one-worker HTTP server started with `arguments` (after `python -m`), ready at `probe`."""

    name: str
    arguments: list[str]
    log_path: Path
    environment: Mapping[str, str] = field(default_factory=dict)
    probe: str = "/"
    port: int = field(default_factory=free_port)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self, timeout: float = 30.0) -> ServerProcess:
        command = [sys.executable, "-m", *self.arguments, "--port", str(self.port)]
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                command, env=dict(self.environment), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise ServerFailed(f"{self.name} did not start: {self.log_tail()}")
            time.sleep(0.1)
        return self

    def _answers(self) -> bool:
        try:
            httpx.get(self.url + self.probe, timeout=1.0)
        except httpx.HTTPError:
            return False
        return True

    def log_tail(self, lines: int = 20) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


def reset_peak_rss(pid: int) -> bool:
    """Restart the kernel's RSS high-water mark (Linux `clear_refs` 5); False where refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mib(pid: int) -> float | None:
    """VmHWM of a live process in MiB, None where /proc does not tell."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def cpu_seconds(pid: int) -> float:
    """User plus system CPU a live process has used: steadier than throughput on a busy box."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    user_ticks, system_ticks = int(fields[11]), int(fields[12])
    return (user_ticks + system_ticks) / os.sysconf("SC_CLK_TCK")
