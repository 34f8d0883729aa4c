"""Finding, installing and running stripe-mock: the one helper `make`, the tests and the
simulator share.

stripe-mock is Stripe's official mock server: stateless, and it validates every request against
Stripe's OpenAPI spec. The pair below is the one the test suite runs on; stripe-mock's spec is
a few API versions behind the SDK's pinned version, so the suite is what proves the calls we make
still validate (stripe-mock runs without `-strict-version-check` for that reason). This module is
the one place both versions are written down; pyproject.toml pins the SDK to the same minor.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

STRIPE_MOCK_VERSION = "v0.203.0"
STRIPE_MOCK_API_VERSION = "2026-08-26.dahlia"  # the spec bundled in that stripe-mock
STRIPE_SDK_VERSION = "16.1.0"
STRIPE_SDK_API_VERSION = "2026-10-28.endive"  # what that SDK sends as Stripe-Version
STRIPE_MOCK_MODULE = "github.com/stripe/stripe-mock"
DOCKER_IMAGE = f"stripe/stripe-mock:{STRIPE_MOCK_VERSION}"
CONTAINER_PORT = 12111
BINARY_START_SECONDS = 30.0
DOCKER_START_SECONDS = 300.0  # the first run pulls the image
PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_BIN_DIR = PROJECT_ROOT / ".bin"


class StripeMockUnavailable(RuntimeError):
    """stripe-mock cannot be found, built or run here; the message says what to do instead."""


def how_to_get_it() -> str:
    """The one message for a machine with neither Go nor Docker: it names both ways."""
    return (
        "stripe-mock is not installed and cannot be installed here: install Go and run "
        f"`GOBIN=$PWD/.bin go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}`, "
        f"or install Docker so the image {DOCKER_IMAGE} can run "
        "(or point STRIPE_MOCK_BIN at a stripe-mock binary)"
    )


def find_binary(local_dir: Path = LOCAL_BIN_DIR) -> Path | None:
    """`STRIPE_MOCK_BIN`, then `stripe-mock` on PATH, then the project's own `./.bin/`.

    An explicit STRIPE_MOCK_BIN that is not a file is an error, not a reason to look elsewhere:
    silently running another stripe-mock than the one asked for would hide the mistake.
    """
    explicit = os.environ.get("STRIPE_MOCK_BIN")
    if explicit:
        if not Path(explicit).is_file():
            raise StripeMockUnavailable(f"STRIPE_MOCK_BIN={explicit} is not a file")
        return Path(explicit)
    on_path = shutil.which("stripe-mock")
    if on_path:
        return Path(on_path)
    local = local_dir / "stripe-mock"
    return local if local.is_file() else None


def go_install_command(go: str) -> list[str]:
    return [go, "install", f"{STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}"]


def install_binary(bin_dir: Path = LOCAL_BIN_DIR) -> Path:
    """Build the pinned tag with `go install` into `bin_dir` (about a minute on a fresh machine)."""
    go = shutil.which("go")
    if go is None:
        raise StripeMockUnavailable(how_to_get_it())
    bin_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        go_install_command(go), env={**os.environ, "GOBIN": str(bin_dir)}, check=False
    )
    if result.returncode != 0:
        raise StripeMockUnavailable(
            f"`go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}` failed "
            f"(exit {result.returncode}); see Go's output above"
        )
    return bin_dir / "stripe-mock"


def ensure_binary(local_dir: Path = LOCAL_BIN_DIR) -> Path | None:
    """A stripe-mock binary, installing it when Go is there; None when only Docker can help."""
    found = find_binary(local_dir)
    if found is not None:
        return found
    if shutil.which("go"):
        return install_binary(local_dir)
    if shutil.which("docker"):
        return None
    raise StripeMockUnavailable(how_to_get_it())


def binary_command(binary: Path, port: int) -> list[str]:
    """HTTP on the loopback port; HTTPS on a port the system picks.

    stripe-mock still opens HTTPS on its default 12112 when only `-http-addr` is given, so two
    instances on one machine would collide there without the explicit `-https-addr`.
    """
    return [str(binary), "-http-addr", f"127.0.0.1:{port}", "-https-addr", "127.0.0.1:"]


def docker_command(docker: str, port: int) -> list[str]:
    """The pinned image, published on the loopback port only, removed when it stops."""
    return [
        docker,
        "run",
        "--rm",
        "--name",
        f"billing-portal-stripe-mock-{port}",
        "-p",
        f"127.0.0.1:{port}:{CONTAINER_PORT}",
        DOCKER_IMAGE,
    ]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers_http(host: str, port: int, timeout: float = 0.5) -> bool:
    """True once something answers HTTP there (a published Docker port accepts TCP earlier)."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True


def terminate(process: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    """Ask a child process to stop, and kill it when it does not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def local_port_of(url: str) -> int | None:
    """The port of an IPv4 loopback URL (where StripeMockServer listens), else None."""
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        return None
    return parts.port or (443 if parts.scheme == "https" else 80)


@dataclass
class StripeMockServer:
    """A stripe-mock child process (or container) on a loopback port."""

    port: int = field(default_factory=free_port)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _log: IO[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StripeMockServer:
        binary = ensure_binary()
        if binary is not None:
            command, timeout = binary_command(binary, self.port), BINARY_START_SECONDS
        else:
            docker = shutil.which("docker") or "docker"
            command, timeout = docker_command(docker, self.port), DOCKER_START_SECONDS
        # A file, not a pipe: nobody reads the output while it runs, and a full pipe would block it.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while not answers_http("127.0.0.1", self.port):
            if self._process.poll() is not None:
                output = self._output()
                self.stop()
                raise StripeMockUnavailable(f"stripe-mock exited at start: {output}")
            if time.monotonic() > deadline:
                self.stop()
                raise StripeMockUnavailable(
                    f"stripe-mock did not answer on {self.url} in {timeout}s"
                )
            time.sleep(0.05)
        return self

    def wait(self) -> int:
        """Block until stripe-mock exits on its own; its exit code."""
        assert self._process is not None, "start() first"
        return self._process.wait()

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        lines = self._log.read().decode(errors="replace").strip().splitlines()
        return " / ".join(lines[-3:])

    def stop(self) -> None:
        if self._process is not None:
            terminate(self._process)
            self._process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> StripeMockServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextlib.contextmanager
def stripe_mock_for(api_base: str) -> Iterator[StripeMockServer | None]:
    """Start stripe-mock on `api_base`'s port when that is a loopback port nobody answers on."""
    port = local_port_of(api_base)
    if port is None or answers_http("127.0.0.1", port):
        yield None
        return
    with StripeMockServer(port=port) as server:
        yield server
