"""Fill the Oscar shop's database with Minga's bench catalogue, row for row, so both sides of the
comparison serve the same catalogue: every listing of the `bulk-` cooperatives becomes a
standalone product (title, description, created at its publication time, public when it is
published and its seller is not suspended) in its category, with one stock record (price,
currency, stock) of a partner made from its cooperative. No images (seed_bulk makes none).

    OSCAR_DATABASE_URL=... .venv-oscar/bin/python benchmarks/oscar/seed.py \\
        --source postgres://.../minga_bench --listings 100000 --cooperatives 2000

Runs in .venv-oscar (it imports Oscar), reads Minga's database with plain SQL (it imports
nothing of Minga). Migrates, then seeds only when the shop does not already hold exactly that
many products and partners (kept between runs, like Minga's bench databases). Writes with COPY.
Always (re)sets the bench customer whose session signs the measured requests in."""

import argparse
import os
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "oscarsite.settings"  # not the caller's (Minga's)

import django

django.setup()

import psycopg  # noqa: E402
from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.utils.text import slugify  # noqa: E402

BENCH_USER = "bench"
BENCH_EMAIL = "bench@example.com"
# Currencies without minor units (ISO 4217 exponent 0) among seed_bulk's.
ZERO_DECIMAL = {"CLP", "JPY", "KRW", "PYG"}
STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[oscar seed {time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def holds(listings: int, cooperatives: int) -> bool:
    return (
        model("catalogue.Product").objects.count() == listings
        and model("partner.Partner").objects.count() == cooperatives
    )


def copy_rows(target: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """COPY `rows` into the model's table; every concrete column a row leaves out gets the
    field's default (so the seeder follows Oscar's models rather than a frozen column list)."""
    fields = [field for field in target._meta.concrete_fields]
    columns = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    defaults = {field.attname: field.get_default() for field in fields}
    statement = f'COPY "{target._meta.db_table}" ({columns}) FROM STDIN'
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            values = {**defaults, **row}
            copy.write_row([values[field.attname] for field in fields])
            count += 1
    return count


def reset_sequence(target: type[models.Model]) -> None:
    highest = target.objects.aggregate(highest=models.Max("id"))["highest"] or 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [f'"{target._meta.db_table}"', highest],
        )


def read_source(source: str) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with psycopg.connect(source) as minga:
        cooperatives = minga.execute(
            "SELECT id, name, slug, verification_status FROM cooperatives_cooperative"
            " WHERE slug LIKE 'bulk-%' ORDER BY id"
        ).fetchall()
        categories = minga.execute(
            "SELECT id, name, slug, path FROM marketplace_category ORDER BY path"
        ).fetchall()
        listings = minga.execute(
            "SELECT l.id, l.cooperative_id, l.kind, l.title, l.description, l.category_id,"
            " l.sku, l.price_amount, l.currency, l.stock, l.status, l.published_at, l.created_at"
            " FROM marketplace_listing l JOIN cooperatives_cooperative c"
            " ON c.id = l.cooperative_id WHERE c.slug LIKE 'bulk-%' ORDER BY l.id"
        ).fetchall()
    return cooperatives, categories, listings


def empty_catalogue() -> None:
    tables = [
        model(label)._meta.db_table
        for label in (
            "catalogue.ProductCategory",
            "partner.StockRecord",
            "catalogue.Product",
            "catalogue.Category",
            "catalogue.ProductClass",
            "partner.Partner",
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " CASCADE")


def categories_tree(rows: list[tuple]) -> dict[int, int]:
    """Minga's category tree (materialised slug paths) as Oscar's treebeard tree; returns
    Minga's category id -> Oscar's."""
    category = model("catalogue.Category")
    nodes: dict[tuple[str, ...], Any] = {}
    mapping = {}
    for pk, name, slug, path in rows:  # ordered by path: parents first
        parts = tuple(part for part in path.split("/") if part)
        parent = nodes.get(parts[:-1])
        node = (parent.add_child if parent else category.add_root)(name=name, slug=slug)
        nodes[parts] = node
        mapping[pk] = node.pk
    return mapping


def seed(source: str) -> None:
    cooperatives, category_rows, listings = read_source(source)
    step(f"read {len(listings)} listings of {len(cooperatives)} cooperatives from Minga")
    now = datetime.now(UTC)
    with transaction.atomic():
        empty_catalogue()
        product_class = model("catalogue.ProductClass")
        classes = {
            "product": product_class.objects.create(name="Product", slug="product").pk,
            "service": product_class.objects.create(
                name="Service", slug="service", track_stock=False, requires_shipping=False
            ).pk,
        }
        partner = model("partner.Partner")
        copy_rows(
            partner,
            ({"id": pk, "code": slug, "name": name} for pk, name, slug, _ in cooperatives),
        )
        reset_sequence(partner)
        suspended = {pk for pk, _, _, status in cooperatives if status == "suspended"}
        category_of = categories_tree(category_rows)
        step(f"{len(cooperatives)} partners, {len(category_of)} categories")
        products = copy_rows(
            model("catalogue.Product"),
            (
                {
                    "id": pk,
                    "structure": "standalone",
                    "is_public": status == "published" and seller not in suspended,
                    "upc": sku,
                    "title": title,
                    "slug": slugify(title)[:255] or "product",
                    "description": description,
                    "product_class_id": classes.get(kind, classes["product"]),
                    "date_created": published or created or now,
                    "date_updated": published or created or now,
                }
                for pk, seller, kind, title, description, _, sku, _, _, _, status, published, created in listings
            ),
        )
        reset_sequence(model("catalogue.Product"))
        copy_rows(
            model("catalogue.ProductCategory"),
            (
                {"id": index, "product_id": row[0], "category_id": category_of[row[5]]}
                for index, row in enumerate(listings, start=1)
            ),
        )
        reset_sequence(model("catalogue.ProductCategory"))
        copy_rows(
            model("partner.StockRecord"),
            (
                {
                    "id": index,
                    "partner_id": seller,
                    "product_id": pk,
                    "partner_sku": sku,
                    "price_currency": currency,
                    "price": Decimal(amount) / (1 if currency in ZERO_DECIMAL else 100),
                    "num_in_stock": stock,
                    "date_created": published or created or now,
                    "date_updated": published or created or now,
                }
                for index, (
                    pk,
                    seller,
                    _,
                    _,
                    _,
                    _,
                    sku,
                    amount,
                    currency,
                    stock,
                    _,
                    published,
                    created,
                ) in enumerate(listings, start=1)
            ),
        )
        reset_sequence(model("partner.StockRecord"))
    step(f"{products} products with a category and a stock record each")
    with connection.cursor() as cursor:
        for label in ("catalogue.Product", "partner.StockRecord", "catalogue.ProductCategory"):
            cursor.execute(f'VACUUM ANALYZE "{model(label)._meta.db_table}"')
    step("vacuumed and analyzed")


def bench_user(password: str) -> None:
    user, _ = get_user_model().objects.get_or_create(
        username=BENCH_USER, defaults={"email": BENCH_EMAIL}
    )
    user.set_password(password)
    user.save()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True, help="Minga's bench database URL")
    parser.add_argument("--listings", type=int, required=True)
    parser.add_argument("--cooperatives", type=int, required=True)
    parser.add_argument("--password", default=os.environ.get("OSCAR_BENCH_PASSWORD", "bench"))
    args = parser.parse_args()
    call_command("migrate", verbosity=0, interactive=False)
    step("migrated")
    seeded = False
    if holds(args.listings, args.cooperatives):
        step(f"holds {args.listings} products of {args.cooperatives} partners already")
    else:
        seed(args.source)
        seeded = True
        if not holds(args.listings, args.cooperatives):
            step("the source does not hold the requested catalogue")
            return 1
    bench_user(args.password)
    print(f"OSCAR_SEED {'seeded' if seeded else 'kept'} {time.monotonic() - STARTED:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
