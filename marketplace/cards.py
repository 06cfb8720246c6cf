"""Stored card data: what the catalogue list shows of each listing, kept ready to be written
into a response (docs/catalogue.md, "Stored cards").

A listing's `card` column holds the part of its list entry that only the listing itself decides
(title, description, prices formatted in every site language, delivery modes, dates, the cover's
thumbnail): four lines, the thumbnail's URL, the price displays by language (JSON), the JSON
members of the rest, and the cover the catalogue page shows (its URL and alternative text, JSON). What others decide or what changes without a save is read live with
the page's rows, in the same query: the seller (name, country, verification), the category (its
labels), the stock and the status. So a seller's rename or a moderator's suspension of a seller
needs no card rebuilt, and a checkout, which takes stock in one bulk UPDATE, neither.

Kept in step:
- `Listing.save()` empties the card in the same statement as the change (whatever field), and
  `stale_on_save` has it rebuilt once the transaction commits (`rebuild`, one function);
- an image added, changed or removed empties its listing's card the same way (`stale_on_image`);
- a reader that finds an empty card (a change not rebuilt yet, `seed_bulk`'s rows) builds that
  entry from the rows in full, as before, and asks for the rebuild.
A rebuild locks the rows (`select_for_update`, pk order) and writes only cards still empty, so
it never stores a card built from data older than the row it lands on.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from rest_framework.fields import DateTimeField

from core import statements
from marketplace.models import Listing, ListingImage

_DATETIME = DateTimeField()
_LANGUAGES = [code for code, _name in settings.LANGUAGES]
_JSON_ESCAPES = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps(value: Any) -> str:
    """JSON as DRF's JSONRenderer writes it (compact, UTF-8, line separators escaped)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)


def _datetime(value: Any) -> str | None:
    """As the API writes a moment: ISO 8601 in the active zone, with its offset."""
    return None if value is None else _DATETIME.to_representation(value)


# The moments a card stores: in UTC whoever's request or worker builds it, and written in the
# reader's zone when the list is (`_in_zone`), like the `updated_at` read live beside them.
_STORED_MOMENTS = ("published_at", "created_at")


def _in_zone(own: str) -> str:
    """A stored card's own members with its moments in the active zone."""
    fields = json.loads("{" + own + "}")
    for name in _STORED_MOMENTS:
        if fields.get(name):
            fields[name] = _datetime(parse_datetime(fields[name]))
    return dumps(fields)[1:-1]


def _thumbnail(listing: Listing) -> str:
    images = list(listing.images.all())  # prefetched in position order
    if not images or not images[0].thumbnail_small:
        return ""
    return str(images[0].thumbnail_small.url)


def _cover(listing: Listing) -> list[str]:
    """The page's picture of the listing: the first image's small thumbnail (the image itself
    when it has none) and its alternative text; empty when the listing has no image."""
    images = list(listing.images.all())
    if not images:
        return ["", ""]
    cover = images[0]
    return [str((cover.thumbnail_small or cover.image).url), cover.alt_text]


def build(listing: Listing) -> str:
    """The card of a listing read with its images (prefetched in position order)."""
    with timezone.override(UTC):
        return _build(listing)


def _build(listing: Listing) -> str:
    own = {
        "kind": listing.kind,
        "title": listing.title,
        "description": listing.description,
        "language": listing.language,
        "sku": listing.sku,
        "price_amount": listing.price_amount,
        "currency": listing.currency,
        "unit": listing.unit,
        "min_order_quantity": listing.min_order_quantity,
        "lead_time_days": listing.lead_time_days,
        "credit_share_bps": listing.credit_share_bps,
        "delivery_modes": [str(mode) for mode in listing.delivery_modes],
        "countries_served": listing.countries_served,
        "regions_served": listing.regions_served,
        "published_at": _datetime(listing.published_at),
        "created_at": _datetime(listing.created_at),
    }
    prices = {language: listing.price.format(language) for language in _LANGUAGES}
    return "\n".join((_thumbnail(listing), dumps(prices), dumps(own)[1:-1], dumps(_cover(listing))))


def _with_images(queryset: Any) -> Any:
    return queryset.prefetch_related(
        Prefetch("images", queryset=ListingImage.objects.order_by("position", "id"))
    )


def rebuild(ids: Iterable[int]) -> int:
    """Build and store the empty cards among these listings; returns how many were written."""
    wanted = sorted(set(ids))
    if not wanted:
        return 0
    with transaction.atomic():
        rows = list(
            _with_images(
                Listing.objects.select_for_update(of=("self",))
                .filter(pk__in=wanted, card__isnull=True)
                .order_by("pk")
            )
        )
        written = [(build(listing), listing.pk) for listing in rows]
        # A plain UPDATE per row, sent together (not save(), which would empty the card again;
        # not bulk_update, whose CASE over hundreds of ids costs more than the rows).
        table = Listing._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(f'UPDATE "{table}" SET "card" = %s WHERE "id" = %s', written)  # noqa: S608  # nosec B608: our table
    return len(rows)


def rebuild_all(*, batch: int = 2000) -> int:
    """Every empty card (after seed_bulk, or a migration), in batches."""
    done = 0
    last = 0
    while True:
        ids = list(
            Listing.objects.filter(pk__gt=last, card__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        done += rebuild(ids)
        last = ids[-1]


def _rebuild_after_commit(pending: set[int]) -> None:
    rebuild(pending)


def stale(ids: Iterable[int]) -> None:
    """These listings' cards are empty now: rebuild them once the change is committed (one
    rebuild per transaction, like catalogue_version.changed)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        open_savepoints = set(connection.savepoint_ids)
        for savepoints, function, _robust in reversed(connection.run_on_commit):
            if (
                isinstance(function, partial)
                and function.func is _rebuild_after_commit
                and savepoints == open_savepoints
            ):
                function.args[0].update(ids)
                return
    transaction.on_commit(partial(_rebuild_after_commit, set(ids)), robust=True)


def stale_on_save(sender: Any, instance: Listing, **_kwargs: Any) -> None:
    """post_save of Listing (the save emptied the card)."""
    stale([instance.pk])


def stale_on_image(sender: Any, instance: ListingImage, **_kwargs: Any) -> None:
    """post_save and post_delete of ListingImage: the cover may have changed."""
    Listing.objects.filter(pk=instance.listing_id).update(card=None)
    stale([instance.listing_id])


# Rendering -------------------------------------------------------------------------------------

ROW_FIELDS = (
    "pk",
    "card",
    "stock",
    "status",
    "updated_at",
    "cooperative_id",
    "cooperative__slug",
    "cooperative__name",
    "cooperative__country",
    "cooperative__verification_status",
    "cooperative__is_recuperated",
    "category_id",
    "category__slug",
    "category__name",
    "category__name_es",
    "category__name_pt_br",
    "category__path",
)


@dataclass(slots=True)
class CardRow:
    """One listing of a page as the list shows it, from one row of `card_rows`."""

    pk: int
    values: tuple[Any, ...]
    rebuilt: str | None = None  # the card built for this answer when the stored one was empty

    @property
    def text(self) -> str:
        """The stored card (see `build`)."""
        return str(self.rebuilt if self.values[1] is None else self.values[1])

    def lines(self) -> list[str]:
        """The stored card's four lines (see `build`)."""
        return self.text.split("\n", 3)

    @property
    def stock(self) -> int | None:
        return self.values[2]  # type: ignore[no-any-return]

    @property
    def seller(self) -> "Seller":
        return Seller(*self.values[6:11])


@dataclass(frozen=True, slots=True)
class Seller:
    """A card's seller as read live with it (`ROW_FIELDS`)."""

    slug: str
    name: str
    country: str
    verification_status: str
    is_recuperated: bool


def _row_values(ids: list[int]) -> list[tuple[Any, ...]]:
    """`Listing.objects.filter(pk__in=ids).values_list(*ROW_FIELDS)`, its statement compiled
    once per number of ids on each database connection (compiling it cost more than running
    it): the same SQL and the same conversion of the values."""
    if not ids:
        return []
    return statements.rows(
        Listing,
        ("card rows", len(ids)),
        lambda ids: Listing.objects.filter(pk__in=ids).values_list(*ROW_FIELDS),
        ids=ids,
    )


def card_rows(ids: list[int]) -> list[CardRow]:
    """The page's listings by id: one query for the stored cards and what is read live; cards
    found empty are built from the listings in full (two more queries) and rebuilt after."""
    rows = [CardRow(values[0], values) for values in _row_values(ids)]
    missing = [row.pk for row in rows if row.values[1] is None]
    if missing:
        built = {
            listing.pk: build(listing)
            for listing in _with_images(Listing.objects.filter(pk__in=missing))
        }
        for row in rows:
            if row.values[1] is None:
                row.rebuilt = built.get(row.pk)
        stale(missing)
    return rows


class Renderer:
    """Writes a page of `CardRow`s as the list's JSON, for one request (its language and host)."""

    def __init__(self, request: HttpRequest, language: str) -> None:
        self.request = request
        try:
            self.language = translation.get_supported_language_variant(language)
        except LookupError:
            self.language = settings.LANGUAGE_CODE
        self.host = request.build_absolute_uri("/")[:-1]
        self.zone = timezone.get_current_timezone_name()  # of the dates written

    def _thumbnail(self, url: str) -> str:
        if not url:
            return "null"
        if url.startswith("/") and not url.startswith("//"):
            return dumps(self.host + url)
        return dumps(self.request.build_absolute_uri(url))

    def card(self, row: CardRow) -> str:
        thumbnail = row.text.split("\n", 1)[0]
        return (
            f"{_card_json(self.language, self.zone, row.values, row.rebuilt)}"
            f'"thumbnail_url":{self._thumbnail(thumbnail)}}}'
        )

    def cards(self, rows: Iterable[CardRow]) -> str:
        return "[" + ",".join(self.card(row) for row in rows) + "]"


@lru_cache(maxsize=4096)
def _card_json(language: str, zone: str, values: tuple[Any, ...], rebuilt: str | None) -> str:
    """A list entry but its thumbnail's URL (which names the request's host), from everything
    it shows (the row as read live, the language, the time zone of its dates): written once per
    process for the same inputs. The thumbnail is appended per request."""
    row = CardRow(values[0], values, rebuilt)
    _thumbnail, prices, own, _cover = row.lines()
    own = _in_zone(own)
    price_display = json.loads(prices).get(language)
    stock = values[2]
    return (
        f'{{"id":{row.pk},"cooperative":{dumps(values[6])},"seller":{_seller_json(values[6:11])},'
        f'{own},"category":{_category_json(language, values[11:17])},"price_display":{dumps(price_display)},'
        f'"stock":{"null" if stock is None else int(stock)},'
        f'"is_made_to_order":{"true" if stock is None else "false"},'
        f'"status":{dumps(values[3])},"updated_at":{dumps(_datetime(values[4]))},'
    )


@lru_cache(maxsize=1024)
def _seller_json(values: tuple[Any, ...]) -> str:
    slug, name, country, verification_status, is_recuperated = values
    return dumps(
        {
            "slug": slug,
            "name": name,
            "country": country,
            "is_verified": verification_status == "verified",
            "is_recuperated": is_recuperated,
        }
    )


@lru_cache(maxsize=1024)
def _category_json(language: str, values: tuple[Any, ...]) -> str:
    category_id, slug, name, name_es, name_pt_br, path = values
    label = name
    if language.startswith("es") and name_es:
        label = name_es
    elif language.startswith("pt") and name_pt_br:
        label = name_pt_br
    return dumps({"id": category_id, "slug": slug, "name": name, "label": str(label), "path": path})
