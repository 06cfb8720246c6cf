"""No module imports another module's private (`_name`) functions, classes or constants: what two
modules share is named as shared (issue #15, docs/architecture.md). Dunder names are not private."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"locale", "docs", "node_modules"}
}


def private_imports(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
            continue
        if node.module.split(".")[0] not in PACKAGES:
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                found.append(
                    f"{path.relative_to(root)}:{node.lineno} imports {node.module}.{alias.name}"
                )
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    sources = [
        path
        for package in sorted(PACKAGES)
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(sources) > 100  # the whole tree was read
    found = [line for path in sources for line in private_imports(path)]
    assert found == []


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "from orders.services.checkout import _replay\nfrom orders.models import __doc__\n",
        encoding="utf-8",
    )
    found = private_imports(module, root=tmp_path)
    assert found == ["example.py:1 imports orders.services.checkout._replay"]
