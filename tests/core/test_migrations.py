"""The migrations describe the models exactly, and each app's squashed migration stands for the
files it replaced (docs/architecture.md, "Duplication")."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

SQUASHED = ["accounts", "cooperatives", "marketplace", "moderation", "orders"]


@pytest.mark.django_db
def test_the_models_need_no_new_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_each_app_starts_from_one_squash_that_names_the_files_it_replaced():
    loader = MigrationLoader(connection)
    for app in SQUASHED:
        squash = loader.get_migration(app, "0001_squashed")
        assert (app, "0001_initial") in squash.replaces
        assert loader.graph.root_nodes(app) == [(app, "0001_squashed")]


@pytest.mark.django_db
def test_each_app_is_one_migration_file():
    """Session 5 folded every app's later migrations into its first file (docs/architecture.md,
    "Duplication"): a new migration is fine, but the history starts from one file per app."""
    loader = MigrationLoader(connection)
    ours = {"accounts", "clearing", "cooperatives", "core", "credit", "ledger", "marketplace"}
    ours |= {"moderation", "orders", "quotes"}
    for app in sorted(ours):
        assert len(loader.graph.root_nodes(app)) == 1, app
