#!/usr/bin/env python3
"""Every pair the `duplicates` command finds with at least one side in the files the globs name.

    python3 tools/duplicate_pairs.py 'frontend/*' 'quotes/api/*'    (from the repository's root)

`duplicates` lists 200 rows at the most and the tree has more pairs than that, so this runs it on
copies holding the named files and one slice of the others at a time, and merges the rows (one
per pair of files). The count is close to, not exactly, what a run over the whole tree would say:
a run that stands in more than eight places is left out of a copy's list as of the tree's. For
planning a clean-up and for a before/after of one part of the tree (docs/architecture.md,
"Duplication"). The `duplicates` command is a developer tool of the workplace, not of the project.
"""

import fnmatch
import re
import shutil
import subprocess  # nosec B404  # fixed command lines, no shell
import sys
import tempfile
from pathlib import Path

SLICE = 110  # other files per copy: few enough that a copy's pairs stay under 200
ROW = re.compile(r"^D\d+ (\S+?):\S+ ~ (\S+?):\S+")


def command(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        sys.exit(f"{name} is not on this machine's PATH")
    return path


def tracked_files() -> list[str]:
    listing = subprocess.run(  # noqa: S603  # nosec B603  # fixed arguments, no shell
        [command("git"), "ls-files", "-co", "--exclude-standard"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [name for name in listing.stdout.split() if Path(name).is_file()]


def pairs_in_copy(files: list[str]) -> str:
    with tempfile.TemporaryDirectory() as copy:
        for name in files:
            (Path(copy) / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(name, Path(copy) / name)
        found = subprocess.run(  # noqa: S603  # nosec B603  # fixed arguments, no shell
            [command("duplicates"), "--repo", copy, "--most", "200", "--seconds", "120"],
            capture_output=True,
            text=True,
        )
    if re.search(r"\(\+\d+ more pairs\)", found.stdout):
        print("warning: a copy had more than 200 pairs; some rows are missing", file=sys.stderr)
    return found.stdout


def main(globs: list[str]) -> int:
    files = tracked_files()
    named = {name for name in files if any(fnmatch.fnmatch(name, glob) for glob in globs)}
    if not named:
        print("no file matches", file=sys.stderr)
        return 2
    others = [name for name in files if name not in named]
    rows: dict[tuple[str, ...], str] = {}
    for start in range(0, len(others), SLICE):
        for line in pairs_in_copy(sorted(named) + others[start : start + SLICE]).splitlines():
            match = ROW.match(line)
            if match and named & {match[1], match[2]}:
                rows.setdefault(tuple(sorted((match[1], match[2]))), line.split(" ", 1)[1])
    for key in sorted(rows):
        print(rows[key])
    print(f"{len(rows)} pairs touch {len(named)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
