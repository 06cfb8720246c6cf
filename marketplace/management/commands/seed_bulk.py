"""manage.py seed_bulk --listings 100000 --cooperatives 2000: a large, realistic catalogue for
measurements, written with bulk inserts (it bypasses the services: no events, no images).
Cooperatives it makes have slugs starting with `bulk-`; --reset removes them and their listings."""

import itertools
import random
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from cooperatives.models import Cooperative, LegalForm, Sector
from marketplace import cards, catalogue_version
from marketplace.catalogue_words import (
    DESCRIPTIONS,
    ITEMS,
    PLACES,
    SECTOR_CATEGORY,
    Item,
    currency_for,
    language_for,
    local_price,
)
from marketplace.demo import made_up_title
from marketplace.models import Category, Listing

PREFIX = "bulk-"
COUNTRIES = [
    ("AR", 30),
    ("BR", 25),
    ("UY", 15),
    ("ES", 8),
    ("US", 8),
    ("PT", 4),
    ("CL", 5),
    ("MX", 5),
]
STATUSES = [
    ("published", 92),
    ("draft", 4),
    ("pending_review", 2),
    ("rejected", 1),
    ("archived", 1),
]
VERIFICATION = [("verified", 45), ("unverified", 45), ("pending", 8), ("suspended", 2)]
NAME_WORDS = {
    "es": [
        "La Huella",
        "El Ceibo",
        "Unión",
        "Los Constituyentes",
        "Nuevo Amanecer",
        "La Cacerola",
        "Tierra Fértil",
        "El Hornero",
        "Manos Unidas",
        "Sol de Mayo",
        "La Minga",
        "Trabajo Digno",
    ],
    "pt-br": [
        "Terra Viva",
        "União",
        "Bem Viver",
        "Mãos Dadas",
        "Semear",
        "Raiz Forte",
        "Nova Esperança",
        "Sol Nascente",
        "Fio da Meada",
        "Mutirão",
        "Girassol",
        "Ipê Amarelo",
    ],
    "en": [
        "Union",
        "Commonwealth",
        "Harvest",
        "Solidarity",
        "Cooperative Works",
        "Mutual Aid",
        "Riverside",
        "Good Ground",
        "Fair Share",
        "New Dawn",
        "Evergreen",
        "Northside",
    ],
}
NAME_FORMS = {"es": "Cooperativa {words}", "pt-br": "Cooperativa {words}", "en": "{words} Co-op"}
RESET_SQL = [  # the listings count is the last statement's
    "DELETE FROM marketplace_listingevent WHERE listing_id IN (SELECT l.id FROM"
    " marketplace_listing l JOIN cooperatives_cooperative c ON c.id = l.cooperative_id"
    " WHERE c.slug LIKE %s)",
    "DELETE FROM marketplace_listingimage WHERE listing_id IN (SELECT l.id FROM"
    " marketplace_listing l JOIN cooperatives_cooperative c ON c.id = l.cooperative_id"
    " WHERE c.slug LIKE %s)",
    "DELETE FROM marketplace_listing WHERE cooperative_id IN (SELECT c.id FROM"
    " cooperatives_cooperative c WHERE c.slug LIKE %s)",
]
SECTORS = [choice for choice in Sector.values if choice != Sector.OTHER]
VARIANTS_AT_MOST = 1_000  # a title variant is drawn below this and counted round the kind's list


def _weighted(rng: random.Random, pairs: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


class Command(BaseCommand):
    help = "Create a large made-up catalogue with bulk inserts, for measuring search and lists."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listings", type=int, default=100_000)
        parser.add_argument("--cooperatives", type=int, default=2_000)
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--batch-size", type=int, default=2_000)
        parser.add_argument(
            "--reset", action="store_true", help="Remove earlier bulk data before seeding."
        )
        parser.add_argument(
            "--replicate",
            type=int,
            default=1,
            help="PostgreSQL: seed 1/N of the catalogue, then copy it N-1 times in SQL (sellers "
            "`bulk-r<k>-…` with the same names, listings with their search vectors and cards): "
            "1,000,000 listings in minutes instead of an hour.",
        )

    def _step(self, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f}s] {message}")

    def handle(self, *args: Any, **options: Any) -> None:
        self.started = time.monotonic()
        listings, cooperatives = options["listings"], options["cooperatives"]
        if listings < 0 or cooperatives < 1:
            raise CommandError("Give at least one cooperative and zero or more listings.")
        rng = random.Random(options["seed"])  # noqa: S311  # nosec B311  # made-up data, not secrets
        if options["reset"]:
            self._reset()
        elif Cooperative.objects.filter(slug__startswith=PREFIX).exists():
            raise CommandError("Bulk data exists already; run again with --reset to replace it.")
        replicate = options["replicate"]
        if replicate > 1:
            if connection.vendor != "postgresql":
                raise CommandError("--replicate needs PostgreSQL.")
            if listings % replicate or cooperatives % replicate:
                raise CommandError("--replicate must divide --listings and --cooperatives.")
            listings, cooperatives = listings // replicate, cooperatives // replicate
        categories = {category.slug: category for category in Category.objects.all()}
        missing = sorted({item.category for item in ITEMS} - set(categories))
        if missing:
            raise CommandError(f"Categories missing (run migrate first): {', '.join(missing)}")
        with transaction.atomic():
            sellers = self._cooperatives(rng, cooperatives)
            self._step(f"{len(sellers)} cooperatives")
            rebuild = self._drop_search_indexes() if listings >= 10_000 else []
            created = 0
            for batch in self._listing_batches(rng, sellers, categories, listings, options):
                Listing.objects.bulk_create(batch, batch_size=options["batch_size"])
                catalogue_version.changed()
                created += len(batch)
                self._step(f"{created}/{listings} listings")
            built = cards.rebuild_all()  # the stored cards the list writes (marketplace/cards.py)
            self._step(f"{built} cards built")
            for copy in range(2, replicate + 1):
                self._replicate(copy)
                self._step(f"copy {copy} of {replicate}: {copy * listings} listings")
            listings, cooperatives = listings * replicate, cooperatives * replicate
            if rebuild:
                with connection.cursor() as cursor:
                    # Django's foreign keys are deferred: check them now, or no index can be built.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    for definition in rebuild:
                        cursor.execute(definition)
                self._step("search indexes rebuilt")
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Statistics for the planner, and the visibility map that lets the covering indexes
            # answer without reading the table (what autovacuum would do a little later).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE marketplace_listing")
                cursor.execute("VACUUM ANALYZE cooperatives_cooperative")
                cursor.execute("ANALYZE marketplace_search_word")
            self._step("vacuumed and analyzed")
        total = time.monotonic() - self.started
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {listings} listings of {cooperatives} cooperatives in {total:.1f} s."
            )
        )

    def _replicate(self, copy: int) -> None:
        """One more copy of the seeded sellers and their listings, in two INSERT … SELECT
        statements. The copies keep the names (so the search vectors, which hold the seller's
        name, are copied as they are, with the user triggers off for the statement) and the
        cards (which hold no id)."""
        seller_columns = [
            field.column
            for field in Cooperative._meta.concrete_fields
            if field.column not in ("id", "slug")
        ]
        listing_columns = [
            field.column
            for field in Listing._meta.concrete_fields
            if field.column not in ("id", "cooperative_id")
        ] + ["search_vector"]
        sellers = ", ".join(f'"{column}"' for column in seller_columns)
        columns = ", ".join(f'"{column}"' for column in listing_columns)
        copied = ", ".join(f'l."{column}"' for column in listing_columns)
        prefix = f"{PREFIX}r{copy}-"
        originals = f"c.slug LIKE '{PREFIX}%%' AND c.slug NOT LIKE '{PREFIX}r%%'"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO cooperatives_cooperative ({sellers}, slug) "  # noqa: S608  # nosec B608: our column names
                f"SELECT {sellers}, %s || substr(c.slug, {len(PREFIX) + 1}) "
                f"FROM cooperatives_cooperative c WHERE {originals}",
                [prefix],
            )
            # The load's foreign keys are deferred: check them now, or the table cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE marketplace_listing DISABLE TRIGGER USER")
            cursor.execute(
                f"INSERT INTO marketplace_listing (cooperative_id, {columns}) "  # noqa: S608  # nosec B608
                f"SELECT n.id, {copied} FROM marketplace_listing l "
                "JOIN cooperatives_cooperative c ON c.id = l.cooperative_id "
                "JOIN cooperatives_cooperative n "
                f"ON n.slug = %s || substr(c.slug, {len(PREFIX) + 1}) WHERE {originals}",
                [prefix],
            )
            cursor.execute("ALTER TABLE marketplace_listing ENABLE TRIGGER USER")
        catalogue_version.changed()

    def _drop_search_indexes(self) -> list[str]:
        """PostgreSQL builds an index in one pass much faster than it grows one row by row: drop
        the search and browse indexes for the load and return the statements that recreate
        them. The trigger still fills `search_vector` as rows arrive."""
        if connection.vendor != "postgresql":
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'marketplace_listing'"
                " AND (indexname = 'listing_search_vector' OR indexname LIKE 'listing_browse_%')"
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in indexes]

    def _reset(self) -> None:
        """Remove earlier bulk data with plain DELETEs (the ORM would load every row first)."""
        pattern = [f"{PREFIX}%"]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in RESET_SQL:
                cursor.execute(statement, pattern)
                deleted = cursor.rowcount
        Cooperative.objects.filter(slug__startswith=PREFIX).delete()
        self._step(f"removed earlier bulk data ({deleted} listings)")

    def _cooperatives(self, rng: random.Random, count: int) -> list[Cooperative]:
        rows = []
        for index in range(count):
            country = _weighted(rng, COUNTRIES)
            language = language_for(country)
            words = " ".join(rng.sample(NAME_WORDS[language], 2))
            status = _weighted(rng, VERIFICATION)
            rows.append(
                Cooperative(
                    name=f"{NAME_FORMS[language].format(words=words)} {index + 1}",
                    slug=f"{PREFIX}{index + 1:05d}",
                    legal_form=rng.choice(LegalForm.values),
                    sector=rng.choice(SECTORS),
                    country=country,
                    city=rng.choice(PLACES.get(country, ["Springfield"])).split(" ", 1)[-1],
                    description_language=language,
                    is_recuperated=rng.random() < 0.15,
                    verification_status=status,
                    verified_at=timezone.now() if status == "verified" else None,
                )
            )
        return Cooperative.objects.bulk_create(rows, batch_size=1000)

    def _listing_batches(
        self,
        rng: random.Random,
        sellers: list[Cooperative],
        categories: dict[str, Category],
        count: int,
        options: dict[str, Any],
    ) -> Iterator[list[Listing]]:
        by_root: dict[str, list[Item]] = {}
        for item in ITEMS:
            root = categories[item.category].path.split("/")[1]
            by_root.setdefault(root, []).append(item)
        # A few sellers have large catalogues, most have small ones.
        cumulative = list(itertools.accumulate(rng.paretovariate(1.2) for _ in sellers))
        now = timezone.now()
        batch: list[Listing] = []
        for index in range(count):
            seller = rng.choices(sellers, cum_weights=cumulative)[0]
            own = by_root.get(SECTOR_CATEGORY.get(seller.sector, ""), ITEMS)
            item = rng.choice(own if rng.random() < 0.7 else ITEMS)
            batch.append(self._listing(rng, seller, item, categories, index, now))
            if len(batch) >= options["batch_size"] * 5:
                yield batch
                batch = []
        if batch:
            yield batch

    def _listing(
        self,
        rng: random.Random,
        seller: Cooperative,
        item: Item,
        categories: dict[str, Category],
        index: int,
        now: Any,
    ) -> Listing:
        language = language_for(seller.country)
        variant = rng.randrange(VARIANTS_AT_MOST)
        place = rng.choice(PLACES.get(seller.country, [""])) if rng.random() < 0.5 else ""
        status = _weighted(rng, STATUSES)
        currency = currency_for(seller.country)
        flags = [rng.random() < 0.5 for _ in range(4)]
        if not any(flags):
            flags[0] = True
        return Listing(
            cooperative=seller,
            kind=item.kind,
            title=made_up_title(item, language, variant, place),
            description=" ".join(rng.sample(DESCRIPTIONS[language], rng.randint(1, 3))),
            language=language,
            category=categories[item.category],
            sku=f"B{index:07d}",
            price_amount=local_price(item.usd_price, currency, rng.lognormvariate(0, 0.4)),
            currency=currency,
            unit=item.unit,
            min_order_quantity=rng.choice([1, 1, 1, 2, 5, 10, 50]),
            stock=None if item.kind == "service" or rng.random() < 0.25 else rng.randint(0, 2000),
            lead_time_days=rng.choice([0, 1, 2, 3, 7, 14, 30]),
            delivers_pickup=flags[0],
            delivers_shipping=flags[1],
            delivers_on_site=flags[2] and item.kind == "service",
            delivers_remote=flags[3] and item.kind == "service",
            countries_served=[seller.country],
            status=status,
            published_at=(
                now - timedelta(minutes=rng.randint(0, 60 * 24 * 730))
                if status in {"published", "archived"}
                else None
            ),
            submitted_at=now if status != "draft" else None,
        )
