"""The stripe-mock helper: where it finds the binary, what it runs, and that instances coexist."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from simulator.toolkit.servers import answers_http, free_port
from simulator.toolkit.stripe_mock import (
    DOCKER_IMAGE,
    STRIPE_MOCK_MODULE,
    StripeMockServer,
    StripeMockUnavailable,
    docker_command,
    ensure_binary,
    find_binary,
    go_install_command,
    stripe_mock_for,
)
from simulator.toolkit.versions import STRIPE_MOCK_TAG


def executable(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def bare_machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No STRIPE_MOCK_BIN and a PATH with nothing on it: the folder returned is that PATH."""
    monkeypatch.delenv("STRIPE_MOCK_BIN", raising=False)
    path = tmp_path / "bin"
    path.mkdir()
    monkeypatch.setenv("PATH", str(path))
    return path


def test_stripe_mock_bin_wins_when_it_names_a_file(monkeypatch, tmp_path):
    binary = executable(tmp_path, "my-stripe-mock")
    monkeypatch.setenv("STRIPE_MOCK_BIN", str(binary))

    assert find_binary() == binary


def test_a_stripe_mock_bin_that_is_not_a_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("STRIPE_MOCK_BIN", str(tmp_path / "missing"))

    with pytest.raises(StripeMockUnavailable, match="STRIPE_MOCK_BIN="):
        find_binary()


def test_the_projects_own_bin_folder_is_the_last_place_looked(bare_machine, tmp_path):
    local = tmp_path / "project-bin"
    local.mkdir()
    binary = executable(local, "stripe-mock")

    assert find_binary(local) == binary


def test_go_installs_the_pinned_tag():
    assert go_install_command("/usr/bin/go") == [
        "/usr/bin/go",
        "install",
        f"{STRIPE_MOCK_MODULE}@{STRIPE_MOCK_TAG}",
    ]


def test_without_go_but_with_docker_the_pinned_image_is_used(bare_machine, tmp_path):
    executable(bare_machine, "docker")

    assert ensure_binary(tmp_path / "empty") is None
    assert docker_command("docker", 4242) == [
        "docker",
        "run",
        "--rm",
        "--name",
        "billing-portal-stripe-mock-4242",
        "-p",
        "127.0.0.1:4242:12111",
        f"stripe/stripe-mock:{STRIPE_MOCK_TAG}",
    ]


def test_without_go_or_docker_one_message_names_both_ways(bare_machine, tmp_path):
    with pytest.raises(StripeMockUnavailable) as failure:
        ensure_binary(tmp_path / "empty")

    message = str(failure.value)
    assert "\n" not in message
    assert f"go install {STRIPE_MOCK_MODULE}@{STRIPE_MOCK_TAG}" in message
    assert DOCKER_IMAGE in message


def test_two_stripe_mocks_run_side_by_side(stripe_mock):
    """Each instance moves its HTTPS listener off the shared default port 12112."""
    with StripeMockServer() as second:
        assert answers_http("127.0.0.1", stripe_mock.port)
        assert answers_http("127.0.0.1", second.port)


def test_stopping_stripe_mock_frees_its_port():
    server = StripeMockServer().start()
    server.stop()

    assert not answers_http("127.0.0.1", server.port)


def test_a_silent_local_api_base_gets_a_stripe_mock_of_its_own():
    port = free_port()

    with stripe_mock_for(f"http://127.0.0.1:{port}") as started:
        assert started is not None
        assert answers_http("127.0.0.1", port)
    assert not answers_http("127.0.0.1", port)


def test_an_api_base_that_answers_is_left_alone(stripe_mock):
    with stripe_mock_for(stripe_mock.url) as started:
        assert started is None


def test_a_remote_api_base_is_never_replaced():
    with stripe_mock_for("https://api.stripe.com") as started:
        assert started is None
