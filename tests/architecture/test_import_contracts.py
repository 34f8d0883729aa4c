"""The import contracts of `make lint` (import-linter, configured in pyproject.toml) hold on this
tree, and an import that breaks one on purpose fails `lint-imports`, naming the contract."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = str(Path(sys.executable).parent / "lint-imports")
PACKAGES = ("billing_portal", "schema", "resolvers", "services", "simulator")

LAYERS = "billing_portal -> schema -> resolvers -> services"
SERVICES_BELOW = "services import no layer above them"
SIMULATOR_OUTSIDE = "the simulator is an outside client of the service"
ONE_HARNESS = "only the simulator's harness hosts the app"
MIRROR_APART = "the mirror knows nothing of webhook delivery"
ONLY_SERVICES_OUTSIDE = "only services talk to Stripe and the database"


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` on the packages found in `root`, with the repository's contracts."""
    return subprocess.run(
        [LINT_IMPORTS, "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tree_with_import(destination: Path, module: str, statement: str) -> Path:
    """A copy of the packages in which `module` (a path like "services/__init__.py") also runs
    `statement`."""
    for package in PACKAGES:
        shutil.copytree(
            REPO / package, destination / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    with (destination / module).open("a") as source:
        source.write(f"\n{statement}  # noqa\n")
    return destination


def test_the_tree_keeps_every_contract():
    result = lint_imports(REPO)

    assert result.returncode == 0, result.stdout + result.stderr
    for contract in (
        LAYERS,
        SERVICES_BELOW,
        SIMULATOR_OUTSIDE,
        ONE_HARNESS,
        MIRROR_APART,
        ONLY_SERVICES_OUTSIDE,
    ):
        assert f"{contract} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        ("services/__init__.py", "import schema", LAYERS),
        ("services/__init__.py", "import billing_portal.settings", SERVICES_BELOW),
        ("resolvers/__init__.py", "import schema.types", LAYERS),
        ("schema/__init__.py", "import billing_portal.app", LAYERS),
        ("simulator/__init__.py", "import services.errors", SIMULATOR_OUTSIDE),
        ("simulator/__init__.py", "import billing_portal.settings", ONE_HARNESS),
        ("services/mirror/__init__.py", "import services.webhooks.log", MIRROR_APART),
        ("resolvers/__init__.py", "import stripe", ONLY_SERVICES_OUTSIDE),
        ("schema/__init__.py", "import tortoise", ONLY_SERVICES_OUTSIDE),
    ],
    ids=[
        "services-import-schema",
        "services-import-billing-portal",
        "resolvers-import-schema",
        "schema-imports-billing-portal",
        "simulator-imports-services",
        "simulator-imports-billing-portal-outside-its-harness",
        "mirror-imports-webhook-delivery",
        "resolvers-import-stripe",
        "schema-imports-tortoise",
    ],
)
def test_an_import_against_the_architecture_fails_lint_imports_naming_its_contract(
    tmp_path, module, statement, broken
):
    result = lint_imports(tree_with_import(tmp_path, module, statement))

    assert result.returncode != 0
    assert f"{broken} BROKEN" in result.stdout
