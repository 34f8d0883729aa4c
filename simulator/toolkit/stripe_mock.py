"""Finding, installing and running stripe-mock, Stripe's official mock server.

stripe-mock is stateless and validates every request against Stripe's OpenAPI spec, which is why
the tests, `make run`, the simulator and the bench all run against it rather than a fake. It is
looked for in this order: `STRIPE_MOCK_BIN`, `stripe-mock` on PATH, the project's `./.bin/`;
otherwise Go builds the pinned tag into `./.bin/`, or Docker runs the pinned image; otherwise one
message names both ways.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from simulator.toolkit.servers import (
    LOOPBACK,
    ChildServer,
    ServerDidNotStart,
    answers_http,
    free_port,
    local_port_of,
)
from simulator.toolkit.versions import STRIPE_MOCK_TAG

STRIPE_MOCK_MODULE = "github.com/stripe/stripe-mock"
DOCKER_IMAGE = f"stripe/stripe-mock:{STRIPE_MOCK_TAG}"
CONTAINER_PORT = 12111
DOCKER_START_SECONDS = 300.0  # the first run pulls the image
PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_BIN_DIR = PROJECT_ROOT / ".bin"


class StripeMockUnavailable(RuntimeError):
    """stripe-mock cannot be found, built or run here; the message says what to do instead."""


def how_to_get_it() -> str:
    """The one message for a machine with neither Go nor Docker: it names both ways."""
    return (
        "stripe-mock is not installed and cannot be installed here: install Go and run "
        f"`GOBIN=$PWD/.bin go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_TAG}`, "
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
    return [go, "install", f"{STRIPE_MOCK_MODULE}@{STRIPE_MOCK_TAG}"]


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
            f"`go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_TAG}` failed "
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
    return [str(binary), "-http-addr", f"{LOOPBACK}:{port}", "-https-addr", f"{LOOPBACK}:"]


def docker_command(docker: str, port: int) -> list[str]:
    """The pinned image, published on the loopback port only, removed when it stops."""
    return [
        docker,
        "run",
        "--rm",
        "--name",
        f"billing-portal-stripe-mock-{port}",
        "-p",
        f"{LOOPBACK}:{port}:{CONTAINER_PORT}",
        DOCKER_IMAGE,
    ]


class StripeMockServer(ChildServer):
    """stripe-mock as a child process (its binary, or the `docker run` of its image).

    A start-up failure is `StripeMockUnavailable`, which the command line reports in one line.
    """

    def __init__(self, port: int | None = None) -> None:
        port = free_port() if port is None else port
        binary = ensure_binary()
        if binary is not None:
            super().__init__("stripe-mock", binary_command(binary, port), port)
        else:
            command = docker_command(shutil.which("docker") or "docker", port)
            super().__init__("stripe-mock", command, port, start_seconds=DOCKER_START_SECONDS)

    def start(self) -> StripeMockServer:
        try:
            super().start()
        except ServerDidNotStart as error:
            raise StripeMockUnavailable(str(error)) from None
        return self

    def __enter__(self) -> StripeMockServer:
        return self.start()


@contextlib.contextmanager
def stripe_mock_for(api_base: str) -> Iterator[StripeMockServer | None]:
    """Start stripe-mock on `api_base`'s port when that is a loopback port nobody answers on."""
    port = local_port_of(api_base)
    if port is None or answers_http(LOOPBACK, port):
        yield None
        return
    with StripeMockServer(port=port) as server:
        yield server


@contextlib.asynccontextmanager
async def stripe_mock_at(url: str | None) -> AsyncIterator[str]:
    """The given stripe-mock's URL, or a fresh one's for the duration (started off the loop)."""
    if url is not None:
        yield url.rstrip("/")
        return
    server = await asyncio.to_thread(lambda: StripeMockServer().start())
    try:
        yield server.url
    finally:
        await asyncio.to_thread(server.stop)
