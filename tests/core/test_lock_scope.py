"""A row lock taken with joined rows locks only its own table (`select_for_update(of=("self",))`).

Without `of`, PostgreSQL's `FOR UPDATE` over a join locks every joined row too: an order's lock
read with its buyer and seller also locked both cooperatives, a transfer's lock its payment, order
and seller. Two services locking the same rows through different joins then took them in
different orders, and deadlocked (CI, session 7: the card payment's handler, a transfer retry and
a cancel running at once). A service that means to lock a related row locks it by name."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"locale", "docs", "node_modules", "tests"}
)


def joined_locks(path: Path, root: Path = ROOT) -> list[str]:
    """Where a query chain both locks (`select_for_update` with no `of`) and joins
    (`select_related`)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        chain, lock = [], None
        while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            chain.append(node.func.attr)
            if node.func.attr == "select_for_update":
                lock = node
            node = node.func.value
        if lock is None or "select_related" not in chain:
            continue
        if not any(keyword.arg == "of" for keyword in lock.keywords):
            found.add(f"{path.relative_to(root)}:{lock.lineno}")
    return sorted(found)


def test_no_lock_spreads_to_the_rows_it_joins() -> None:
    sources = [
        path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(sources) > 100  # the whole tree was read
    assert [line for path in sources for line in joined_locks(path)] == []


def test_the_check_sees_a_lock_over_a_join(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "a = Order.objects.select_for_update().select_related('buyer').get(pk=1)\n"
        "b = Order.objects.select_for_update(of=('self',)).select_related('buyer').get(pk=1)\n"
        "c = Order.objects.select_for_update().get(pk=1)\n",
        encoding="utf-8",
    )
    assert joined_locks(module, root=tmp_path) == ["example.py:1"]
