"""The declared access table: see docs/security.md, "Access-control table".

The rows are data, one a line, in table.txt next to this file (its head says how a line reads);
the rules for whole groups of URLs are below.
"""

import json
from pathlib import Path

from tests.access.rows import Row, Rule

TEXT = Path(__file__).with_name("table.txt")


def _row(line: str) -> Row:
    method, route, expect, *extra = line.split(" | ")
    return Row(route, method, expect, **(json.loads(extra[0]) if extra else {}))


TABLE: list[Row] = [
    _row(line)
    for line in TEXT.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]

RULES: list[Rule] = [
    # Django admin: staff only; none of the six personas is staff (moderators work in /moderation/).
    Rule("admin/", "login login login login login login"),
]
