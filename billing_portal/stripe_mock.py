"""Finding, installing and running stripe-mock: the one helper `make`, the tests and the
simulator share.

stripe-mock is Stripe's official mock server: stateless, and it validates every request against
Stripe's OpenAPI spec. The pair below is the one the test suite runs on; stripe-mock's spec is
a few API versions behind the SDK's pinned version, so the suite is what proves the calls we make
still validate (stripe-mock runs without `-strict-version-check` for that reason).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

STRIPE_MOCK_VERSION = "v0.203.0"  # spec: API 2026-08-26.dahlia
STRIPE_SDK_VERSION = "16.1.0"  # pins API 2026-10-28.endive
STRIPE_MOCK_MODULE = "github.com/stripe/stripe-mock"
DOCKER_IMAGE = f"stripe/stripe-mock:{STRIPE_MOCK_VERSION}"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOCAL_BIN_DIR = PROJECT_ROOT / ".bin"


class StripeMockUnavailable(RuntimeError):
    """Neither a stripe-mock binary, Go to build one, nor Docker to run the image is available."""


def find_binary() -> Path | None:
    """`STRIPE_MOCK_BIN`, then `stripe-mock` on PATH, then the project's own `./.bin/`."""
    explicit = os.environ.get("STRIPE_MOCK_BIN")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    on_path = shutil.which("stripe-mock")
    if on_path:
        return Path(on_path)
    local = LOCAL_BIN_DIR / "stripe-mock"
    return local if local.is_file() else None


def install_binary(bin_dir: Path = LOCAL_BIN_DIR) -> Path:
    """Build the pinned tag with `go install` into `bin_dir` (about 30 s on a fresh machine)."""
    go = shutil.which("go")
    if go is None:
        raise StripeMockUnavailable(_how_to_get_it())
    bin_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [go, "install", f"{STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}"],
        env={**os.environ, "GOBIN": str(bin_dir)},
        check=True,
    )
    return bin_dir / "stripe-mock"


def ensure_binary() -> Path | None:
    """A stripe-mock binary, installing it when Go is there; None when only Docker can help."""
    found = find_binary()
    if found is not None:
        return found
    if shutil.which("go"):
        return install_binary()
    if shutil.which("docker"):
        return None
    raise StripeMockUnavailable(_how_to_get_it())


def _how_to_get_it() -> str:
    return (
        "stripe-mock is not installed and cannot be installed here: install Go and run "
        f"`go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_VERSION}`, or run it with Docker: "
        f"`docker run --rm -p 12111:12111 {DOCKER_IMAGE}`"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def is_listening(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def local_port_of(url: str) -> int | None:
    """The port of a loopback URL, or None when the URL is not on this machine."""
    parts = urlsplit(url)
    if parts.hostname not in {"127.0.0.1", "localhost", "::1"}:
        return None
    return parts.port or (443 if parts.scheme == "https" else 80)


@dataclass
class StripeMockServer:
    """A stripe-mock child process (or container) on a loopback port."""

    port: int = field(default_factory=free_port)
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> StripeMockServer:
        binary = ensure_binary()
        if binary is not None:
            command = [str(binary), "-http-addr", f"127.0.0.1:{self.port}"]
        else:
            docker = shutil.which("docker") or "docker"
            command = [docker, "run", "--rm", "-p", f"127.0.0.1:{self.port}:12111", DOCKER_IMAGE]
        self._process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
            command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + timeout
        while not is_listening("127.0.0.1", self.port):
            if self._process.poll() is not None:
                stderr = self._process.stderr.read().decode() if self._process.stderr else ""
                raise StripeMockUnavailable(f"stripe-mock exited at start: {stderr.strip()}")
            if time.monotonic() > deadline:
                self.stop()
                raise StripeMockUnavailable(
                    f"stripe-mock did not listen on {self.url} in {timeout}s"
                )
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stderr is not None:
            self._process.stderr.close()
        self._process = None

    def __enter__(self) -> StripeMockServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextlib.contextmanager
def stripe_mock_for(api_base: str) -> Iterator[StripeMockServer | None]:
    """Start stripe-mock on `api_base`'s port when that is a loopback port nobody listens on."""
    port = local_port_of(api_base)
    if port is None or is_listening("127.0.0.1", port):
        yield None
        return
    with StripeMockServer(port=port) as server:
        yield server
