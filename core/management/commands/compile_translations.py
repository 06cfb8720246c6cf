"""Compile every gettext catalogue (.po → .mo) with Babel: pure Python, no GNU gettext needed.

Django's `compilemessages` needs `msgfmt`; a machine with only Python runs this instead (`make
install`, `make run`, CI and the test suite do). A .mo is rewritten only when its .po is newer.
"""

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_files() -> list[Path]:
    """The .po files of the project (LOCALE_PATHS) and of its own apps."""
    roots = [Path(path) for path in settings.LOCALE_PATHS]
    base = Path(settings.BASE_DIR)
    roots += [path for path in base.glob("*/locale") if path not in roots]
    return sorted(po for root in roots for po in root.glob("*/LC_MESSAGES/*.po"))


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write the .mo next to the .po; False when it was already up to date."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    tmp = mo_path.with_suffix(".mo.tmp")
    with tmp.open("wb") as mo_file:
        write_mo(mo_file, catalog, use_fuzzy=False)
    tmp.replace(mo_path)
    return True


def compile_all(*, force: bool = False) -> list[Path]:
    return [po for po in catalogue_files() if compile_catalogue(po, force=force)]


class Command(BaseCommand):
    help = "Compile the gettext catalogues (.po → .mo) with Babel (no msgfmt needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Rewrite every .mo.")

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = compile_all(force=options["force"])
        if options["verbosity"] < 1:
            return
        for path in compiled:
            self.stdout.write(f"compiled {path.relative_to(settings.BASE_DIR)}")
        if not compiled:
            self.stdout.write("translations up to date")
