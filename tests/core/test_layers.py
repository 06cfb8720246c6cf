"""`make lint` holds the layers of docs/architecture.md: `lint-imports` passes on the tree and fails
on a copy of it with one import that points up, even one hidden inside a function."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The project's packages and its import-linter contracts, copied."""
    skip = shutil.ignore_patterns("__pycache__", "migrations", "static", "templates", "locale")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_layers(tree: Path) -> None:
    done = lint_imports(tree)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("core/money.py", "import frontend\n", "core is not allowed to import frontend"),
        (
            "cooperatives/services.py",
            "def _later():\n    from orders.selectors import orders_export_for_cooperative\n",
            "cooperatives is not allowed to import orders",
        ),
        ("marketplace/selectors.py", "import stripe\n", "Only orders.payments.gateway"),
        (
            "orders/payments/models.py",
            "from orders.models import Order\n",
            "orders.payments.models is not allowed to import orders.models",
        ),
    ],
)
def test_an_import_against_the_layers_fails_lint(
    tree: Path, module: str, line: str, broken: str
) -> None:
    with (tree / module).open("a", encoding="utf-8") as source:
        source.write("\n\n" + line)
    done = lint_imports(tree)
    assert done.returncode != 0
    assert broken in done.stdout, done.stdout + done.stderr
