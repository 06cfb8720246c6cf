"""tools/backup.sh and tools/restore.sh, end to end on PostgreSQL: seed a throwaway database,
back it up, drop it, restore it, and find every row and every file again."""

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
# The schema, the demo, then orders in several states, invoices and events through the services:
# one manage.py process (each costs Django's start-up).
SEED = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo")
from cooperatives.models import Role
from orders import services
from tests.factories import CooperativeFactory, ListingFactory, MembershipFactory
seller, buyer = CooperativeFactory(), CooperativeFactory()
buyer_owner = MembershipFactory(cooperative=buyer, role=Role.OWNER).user
seller_owner = MembershipFactory(cooperative=seller, role=Role.OWNER).user
for n in range(6):
    listing = ListingFactory(cooperative=seller, price_amount=1000 + n, currency="EUR", stock=99)
    services.cart_add_item(cooperative=buyer, listing_id=listing.pk, quantity=n + 1, actor=buyer_owner)
    result = services.checkout_place(
        buyer=buyer, actor=buyer_owner, idempotency_key=f"seed-{n}", payment_method="invoice"
    )
    order = result.checkout.orders.get()
    if n % 2:
        services.order_accept(order=order, actor=seller_owner)
    elif n % 3 == 2:
        services.order_decline(order=order, actor=seller_owner, reason="No stock this week")
"""

# The group asks pytest-xdist to run the module on one worker; the seeded database is shared by
# the workers anyway (`seeded`): under pytest 9 the group is not honoured (xdist 3.8 renames the
# tests' `_nodeid`, which pytest 9 no longer reads), and each worker built its own (~30 s each).
pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("backup")]


def database_name(kind: str) -> str:
    """A new database named after the test run's own (DATABASE_URL's), so runs sharing a
    server never touch each other's."""
    own = os.environ["DATABASE_URL"].split("?")[0].rsplit("/", 1)[1]
    return f"{own}_{kind}_{uuid.uuid4().hex[:10]}"


def server_url(database: str) -> str:
    """The test run's PostgreSQL server (from DATABASE_URL), with another database name."""
    url = os.environ["DATABASE_URL"].split("?")[0]
    return url.rsplit("/", 1)[0] + "/" + database


def snapshot(url: str) -> dict[str, object]:
    """Rows per table, and a checksum of every order's id, total and status."""
    with psycopg.connect(url, autocommit=True) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]  # type: ignore[index]
            for table in tables
        }
        checksum = connection.execute(
            "SELECT md5(string_agg(concat_ws(',', id, total_amount, currency, status), ';'"
            " ORDER BY id)) FROM orders_order"
        ).fetchone()[0]  # type: ignore[index]
    return {"counts": counts, "orders_md5": checksum}


def drop(name: str) -> None:
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def attempt(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def run(args: list[str], env: dict[str, str]) -> str:
    done = attempt(args, env)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def environment(database: str, folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": server_url(database),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
        "MINGA_VAR_DIR": str(folder / "var"),
    }


def create(name: str, template: str | None = None) -> None:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        connection.execute(statement)


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on a file, shared by the run's worker processes."""
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory):  # type: ignore[no-untyped-def]
    """Migrated and seeded through manage.py, in a database of its own (never the test run's);
    each test works on a copy. Built once per run: the run's workers share it (a file lock in
    the run's own temporary folder, and a count of its users; the last to finish drops it). Kept
    to the end of the session, not of the module: a worker leaves the module as soon as its next
    test is elsewhere, and another worker may get a backup test later."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    state_file = shared / "backup-seed.json"
    lock = shared / "backup-seed.lock"
    with locked(lock):
        state = json.loads(state_file.read_text()) if state_file.exists() else None
        if state is None:
            name = database_name("backup_seed")
            env = environment(name, shared / "backup-seed-files")
            create(name)
            try:
                run([sys.executable, "manage.py", "shell", "-c", SEED], env)
            except BaseException:
                drop(name)
                raise
            state = {"name": name, "users": 0}
        state["users"] += 1
        state_file.write_text(json.dumps(state))
    try:
        yield state["name"]
    finally:
        with locked(lock):
            state = json.loads(state_file.read_text())
            state["users"] -= 1
            if state["users"]:
                state_file.write_text(json.dumps(state))
            else:
                drop(state["name"])
                state_file.unlink()


@pytest.fixture
def throwaway(seeded, tmp_path):
    name = database_name("backup")
    create(name, template=seeded)
    try:
        yield name, environment(name, tmp_path)
    finally:
        drop(name)


def test_backup_drop_restore_gives_back_every_row_and_file(throwaway, tmp_path):
    name, env = throwaway
    url = env["DATABASE_URL"]
    (tmp_path / "media" / "cooperatives").mkdir(parents=True, exist_ok=True)
    (tmp_path / "media" / "cooperatives" / "logo.webp").write_bytes(b"RIFF-logo")
    (tmp_path / "private").mkdir(exist_ok=True)
    (tmp_path / "private" / "statute.pdf").write_bytes(b"%PDF-1.4 statute")
    before = snapshot(url)
    assert before["counts"]["orders_order"] > 0, "the demo placed no order to check"  # type: ignore[index]

    backup_dir = tmp_path / "backup"
    run(["bash", "tools/backup.sh", str(backup_dir)], env)
    assert {p.name for p in backup_dir.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private.tar.gz",
        "SHA256SUMS",
    }

    drop(name)
    for folder in ("media", "private"):
        shutil.rmtree(tmp_path / folder)

    run(["bash", "tools/restore.sh", str(backup_dir)], env)
    assert snapshot(url) == before
    assert (tmp_path / "media" / "cooperatives" / "logo.webp").read_bytes() == b"RIFF-logo"
    assert (tmp_path / "private" / "statute.pdf").read_bytes() == b"%PDF-1.4 statute"


def test_restore_refuses_to_overwrite_a_database_that_has_data(throwaway, tmp_path):
    _, env = throwaway
    backup_dir = tmp_path / "backup"
    run(["bash", "tools/backup.sh", str(backup_dir)], env)
    refused = attempt(["bash", "tools/restore.sh", str(backup_dir)], env)
    assert refused.returncode != 0
    assert "restore into an empty one" in refused.stderr


def test_a_damaged_backup_is_refused_before_anything_is_touched(throwaway, tmp_path):
    name, env = throwaway
    backup_dir = tmp_path / "backup"
    run(["bash", "tools/backup.sh", str(backup_dir)], env)
    with open(backup_dir / "database.dump", "ab") as dump:
        dump.write(b"garbage")
    drop(name)
    refused = attempt(["bash", "tools/restore.sh", str(backup_dir)], env)
    assert refused.returncode != 0
    with psycopg.connect(server_url("postgres"), autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        assert found.fetchone() is None  # not even created
