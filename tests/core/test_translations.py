"""Every string of the interface is translated into Spanish and Brazilian Portuguese."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LANGUAGES = ["es", "pt_BR"]


def catalogue(language: str, root: Path | None = None):  # type: ignore[no-untyped-def]
    path = (root or Path(settings.BASE_DIR) / "locale") / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as source:
        return read_po(source, locale=language)


def _key(message) -> str:  # type: ignore[no-untyped-def]
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            problems.append(f"untranslated: {_key(message)!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {_key(message)!r}")
    assert not problems, (
        f"locale/{language}/LC_MESSAGES/django.po needs work (docs/i18n.md):\n"
        + "\n".join(problems)
    )


def test_only_the_project_catalogue_exists():
    """One catalogue per language (locale/): app folders would split and shadow it."""
    base = Path(settings.BASE_DIR)
    stray = [str(path) for path in base.glob("*/locale") if path.parent.name != ".venv"]
    assert stray == []


# What `make messages` reads: the code, not the tests, tools or local data.
SKIPPED = {".git", ".venv", "locale", "tests", "benchmarks", "tools", "docs", "staticfiles", "var"}
SKIPPED |= {"media", "build", "node_modules", "__pycache__"}


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="GNU gettext is not installed (apt-get install gettext): extraction not checked",
)
def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """Extract the strings afresh, into a copy of the catalogues (the project's own files are not
    touched): every string of the code must be in the .po files, and no string the code lost."""
    base = Path(settings.BASE_DIR)
    # A copy of the code (a few megabytes) with its own locale/: makemessages writes the copy, and
    # the `<template>.py` files it writes for a moment beside each template land in the copy, not
    # in the tree other tests are reading at the same time.
    tree = tmp_path / "tree"
    tree.mkdir()
    ignored = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for entry in base.iterdir():
        if entry.name in SKIPPED or entry.name.endswith(".egg-info") or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.copytree(entry, tree / entry.name, ignore=ignored)
        else:
            shutil.copy2(entry, tree / entry.name)
    shutil.copytree(base / "locale", tree / "locale")
    languages = [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(  # a fixed command line, no user input
        [sys.executable, "manage.py", "makemessages", "--no-obsolete", *languages],
        cwd=tree,
        check=True,
        capture_output=True,
    )
    report = []
    for language in LANGUAGES:
        fresh = {_key(m) for m in catalogue(language, tree / "locale") if m.id}
        committed = {_key(m) for m in catalogue(language) if m.id}
        report += [f"missing in {language}: {m!r}" for m in sorted(fresh - committed)]
        report += [f"no longer in the code ({language}): {m!r}" for m in sorted(committed - fresh)]
    assert not report, (
        "The catalogues are behind the code: run `make messages`, translate, commit "
        "(docs/i18n.md).\n" + "\n".join(report)
    )
