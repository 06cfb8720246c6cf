"""CSV export and import of one cooperative's catalogue. The import checks every row first and
writes nothing unless every row is valid; rows are matched on `sku` (or on `id` when the sku is
empty, as in an export), so importing a file twice, or importing an export, changes nothing."""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from cooperatives.models import Cooperative
from cooperatives.permissions import ensure_active
from core.errors import NotPermitted
from core.money import AmountError, parse_amount, to_major
from core.reference import currency_codes
from core.text import MULTI_LINE_MESSAGE, multi_line_problem
from marketplace import catalogue_version, permissions
from marketplace.models import MAX_PRICE_AMOUNT, Category, Listing, ListingEvent
from marketplace.services.listings import (
    apply_changes,
    build_listing,
    send_back_if_needed,
)
from marketplace.state import ListingStatus

COLUMNS = (
    "id",
    "sku",
    "kind",
    "title",
    "description",
    "language",
    "category",
    "price",
    "currency",
    "unit",
    "min_order_quantity",
    "stock",
    "lead_time_days",
    "delivery_modes",
    "countries_served",
    "regions_served",
    "status",
)
REQUIRED_COLUMNS = ("sku", "kind", "title", "category", "price", "currency", "unit")
# Columns written by the export for information; the import reads `id` only to match a row.
READ_ONLY_COLUMNS = ("id", "status")
FIELD_TO_COLUMN = {"price_amount": "price", "sku": "sku"}
TEXT_COLUMNS = ("sku", "title", "description", "regions_served")
LIST_SEPARATORS = "|,; "
# Spreadsheets run a cell that starts with one of these as a formula; the export defuses it
# with a leading apostrophe that the import takes off again.
MAX_INTEGER_DIGITS = 18
MAX_PRICE_EXPONENT = 20  # no price has more than 21 digits before the point
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


class CatalogueImportError(Exception):
    """The file was refused as a whole; nothing was written."""

    def __init__(self, message: str, *, code: str, rows: Iterable[RowError] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.rows = list(rows)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    sent_back_to_review: int = 0
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def _defuse(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _undefuse(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def format_price(amount: int, currency: str) -> str:
    return format(to_major(amount, currency), "f")


def export_rows(cooperative: Cooperative) -> Iterable[list[str]]:
    """The header, then one row per listing that is not archived, by sku then id."""
    yield list(COLUMNS)
    listings = (
        Listing.objects.filter(cooperative=cooperative)
        .exclude(status=ListingStatus.ARCHIVED)
        .select_related("category")
        .order_by("sku", "id")
    )
    for listing in listings.iterator(chunk_size=1000):
        yield [
            str(listing.pk),
            _defuse(listing.sku),
            listing.kind,
            _defuse(listing.title),
            _defuse(listing.description),
            listing.language,
            listing.category.slug,
            format_price(listing.price_amount, listing.currency),
            listing.currency,
            listing.unit,
            str(listing.min_order_quantity),
            "" if listing.stock is None else str(listing.stock),
            str(listing.lead_time_days),
            "|".join(listing.delivery_modes),
            "|".join(listing.countries_served or []),
            _defuse(listing.regions_served),
            listing.status,
        ]


def catalogue_export(*, cooperative: Cooperative, actor: User | None) -> str:
    """The catalogue as CSV text (UTF-8 with a byte-order mark when encoded, for spreadsheets)."""
    if actor is not None and not permissions.can_export_catalogue(actor, cooperative):
        raise NotPermitted(_("Only members of the cooperative can export its catalogue."))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(export_rows(cooperative))
    return buffer.getvalue()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogueImportError(
            _(
                "The file is not UTF-8 text. Save it as “CSV UTF-8” in your spreadsheet and try again."
            ),
            code="encoding",
        ) from exc


def _dialect(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    candidates = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    return max(candidates, key=lambda delimiter: candidates[delimiter])


def _read(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_dialect(text), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    limit = settings.CATALOGUE_IMPORT_MAX_ROWS
    try:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            if header is None:
                header = [cell.strip().lower() for cell in row]
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= limit:
                raise CatalogueImportError(
                    _("The file has more than %(limit)s rows; split it into smaller files.")
                    % {"limit": limit},
                    code="too_many_rows",
                )
            rows.append((line, row))
    except csv.Error as exc:
        raise CatalogueImportError(
            _("Line %(line_num)s: the CSV is malformed (%(exc)s).")
            % {"line_num": reader.line_num, "exc": exc},
            code="malformed",
        ) from exc
    if header is None:
        raise CatalogueImportError(_("The file is empty."), code="empty")
    _check_header(header)
    return header, rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    problems = []
    if unknown:
        problems.append(f"unknown column(s) {', '.join(repr(n) for n in unknown)}")
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if duplicated:
        problems.append(f"repeated column(s) {', '.join(duplicated)}")
    if problems:
        raise CatalogueImportError(
            _("Wrong header: %(join)s. The columns are: %(join_)s (required: %(join__)s).")
            % {
                "join": "; ".join(problems),
                "join_": ", ".join(COLUMNS),
                "join__": ", ".join(REQUIRED_COLUMNS),
            },
            code="header",
        )


def _split(value: str) -> list[str]:
    for separator in LIST_SEPARATORS[1:]:
        value = value.replace(separator, LIST_SEPARATORS[0])
    return [item for item in value.split(LIST_SEPARATORS[0]) if item]


def _integer(value: str, empty: int | None) -> int | None:
    value = value.strip()
    if not value:
        return empty
    # ASCII digits only ("²" is a digit to Python but not to int()), and short enough to compare.
    if not (value.isascii() and value.isdigit() and len(value) <= MAX_INTEGER_DIGITS):
        raise ValidationError(
            _("'%(value)s' is not a whole number of 0 or more.") % {"value": value}
        )
    return int(value)


def _price(value: str, currency: str) -> int:
    """A price as spreadsheets write it: a dot or a lone comma for the decimals ("12.5", "12,5"),
    read by the one money parser, so "1,250" is refused as ambiguous rather than read as 1.25."""
    text = value.strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        money = parse_amount(text, currency, "en")
    except AmountError as error:
        raise ValidationError(
            _("'%(value)s': %(problem)s") % {"value": value, "problem": error}
        ) from None
    if money.amount <= 0:
        raise ValidationError(
            _("'%(value)s': the price must be more than zero.") % {"value": value}
        )
    if money.amount > MAX_PRICE_AMOUNT:
        raise ValidationError(_("'%(value)s' is more than any price we accept.") % {"value": value})
    return money.amount


def _row_changes(
    cells: dict[str, str], categories: dict[str, Category], header: list[str]
) -> dict[str, Any]:
    """Parse one row into the fields listing services take; only columns present are set.
    Every unreadable cell is reported, not only the first."""
    changes: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for column, cell in cells.items():
        if multi_line_problem(cell):  # NUL above all: PostgreSQL cannot store it
            errors.setdefault(column, []).append(str(MULTI_LINE_MESSAGE))
    if errors:
        raise ValidationError(errors)

    def attempt(column: str, parse: Callable[[], Any], field: str | None = None) -> None:
        try:
            changes[field or column] = parse()
        except ValidationError as exc:
            errors.setdefault(column, []).extend(exc.messages)

    for column in TEXT_COLUMNS:
        if column in header:
            changes[column] = _undefuse(cells[column]).strip()
    changes["kind"] = cells["kind"].strip().lower()
    changes["unit"] = cells["unit"].strip().lower()
    attempt("currency", lambda: _currency(cells["currency"]))
    if "currency" in changes:
        attempt("price", lambda: _price(cells["price"], changes["currency"]), "price_amount")
    attempt("category", lambda: _category(cells["category"], categories))
    if cells.get("language", "").strip():
        changes["language"] = cells["language"]
    for column, empty in (("min_order_quantity", 1), ("stock", None), ("lead_time_days", 0)):
        if column in header:
            attempt(column, lambda c=column, e=empty: _integer(cells[c], e))  # type: ignore[misc]
    if "delivery_modes" in header:
        changes["delivery_modes"] = [mode.lower() for mode in _split(cells["delivery_modes"])]
    if "countries_served" in header:
        changes["countries_served"] = _split(cells["countries_served"])
    if errors:
        raise ValidationError(errors)
    return changes


def _currency(value: str) -> str:
    code = value.strip().upper()
    if code not in currency_codes():
        raise ValidationError(
            _("'%(value)s' is not an ISO 4217 code of a currency in use.") % {"value": value}
        )
    return code


def _category(value: str, categories: dict[str, Category]) -> Category:
    category = categories.get(value.strip().lower())
    if category is None:
        raise ValidationError(_("Unknown category '%(value)s'.") % {"value": value})
    return category


def _errors_of(exc: ValidationError, line: int) -> list[RowError]:
    if hasattr(exc, "error_dict"):
        return [
            RowError(line, FIELD_TO_COLUMN.get(name, name), message)
            for name, errors in exc.message_dict.items()
            for message in errors
        ]
    return [RowError(line, "", message) for message in exc.messages]


def _category_index() -> dict[str, Category]:
    index: dict[str, Category] = {}
    for category in Category.objects.all():
        index[category.slug.lower()] = category
        index[str(category.pk)] = category
    return index


@dataclass
class _Plan:
    """What the rows of a file ask for, checked, before anything is written."""

    to_create: list[tuple[int, Listing]] = field(default_factory=list)
    to_update: list[tuple[int, Listing, set[str]]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


def ensure_may_import(cooperative: Cooperative, actor: User | None, data: bytes) -> None:
    """Owners and admins of an active cooperative, a file within the upload limit."""
    if actor is not None and not permissions.can_manage_listings(actor, cooperative):
        raise NotPermitted(_("Only owners and admins of the cooperative can import a catalogue."))
    ensure_active(cooperative, "import_listings")
    if len(data) > settings.MAX_UPLOAD_BYTES:
        raise CatalogueImportError(
            _("The file is larger than %(MAX_UPLOAD_BYTES)s bytes.")
            % {"MAX_UPLOAD_BYTES": settings.MAX_UPLOAD_BYTES},
            code="too_large",
        )


def _locked_listings(cooperative: Cooperative) -> dict[int, Listing]:
    """The cooperative's listings by id, locked in primary-key order."""
    return {
        listing.pk: listing
        for listing in Listing.objects.select_for_update(of=("self",))
        .filter(cooperative=cooperative)
        .select_related("cooperative")
        .order_by("pk")
    }


def _row_target(
    cells: dict[str, str], sku: str, existing: dict[int, Listing], by_sku: dict[str, Listing]
) -> Listing | None:
    """The listing a row edits (by SKU, else by id when it has no SKU), or None for a new one."""
    target = by_sku.get(sku) if sku else None
    if target is None and not sku:
        listing_id = cells.get("id", "").strip()
        target = existing.get(int(listing_id)) if listing_id.isdigit() else None
        if target is None:
            raise ValidationError({"sku": [_("Give each new listing a SKU.")]})
    return target


def _plan(
    header: list[str],
    rows: list[tuple[int, list[str]]],
    *,
    cooperative: Cooperative,
    actor: User | None,
    progress: Progress | None,
) -> _Plan:
    """Every row checked: which listings it creates or changes, and every error with its line."""
    categories = _category_index()
    existing = _locked_listings(cooperative)
    by_sku = {listing.sku: listing for listing in existing.values() if listing.sku}
    plan = _Plan()
    seen: dict[str, int] = {}
    total = len(rows)
    for done, (line, row) in enumerate(rows, start=1):
        if progress and (done % 200 == 0 or done == total):
            progress("check", done, total)
        if len(row) != len(header):
            problem = _("The row has %(cells)s cells; the header has %(columns)s.") % {
                "cells": len(row),
                "columns": len(header),
            }
            plan.errors.append(RowError(line, "", problem))
            continue
        cells = dict(zip(header, row, strict=True))
        sku = _undefuse(cells["sku"]).strip()
        try:
            changes = _row_changes(cells, categories, header)
            target = _row_target(cells, sku, existing, by_sku)
            key = sku or f"#{target.pk if target else ''}"
            if key in seen:
                raise ValidationError(
                    {"sku": [_("Repeats the listing of line %(seen)s.") % {"seen": seen[key]}]}
                )
            seen[key] = line
            if target is None:
                listing = build_listing(
                    cooperative=cooperative, fields=changes | {"sku": sku}, in_bulk=True
                )
                listing.created_by = actor
                plan.to_create.append((line, listing))
            elif changed := apply_changes(target, changes, in_bulk=True):
                plan.to_update.append((line, target, changed))
            else:
                plan.unchanged += 1
        except ValidationError as exc:
            plan.errors.extend(_errors_of(exc, line))
    return plan


def _refuse_errors(errors: list[RowError]) -> None:
    """All or nothing: one row with an error and nothing is imported."""
    if errors:
        raise CatalogueImportError(
            _("%(len)s row(s) have errors; nothing was imported.")
            % {"len": len({error.line for error in errors})},
            code="invalid_rows",
            rows=errors,
        )


def _create_listings(
    cooperative: Cooperative, actor: User | None, to_create: list[tuple[int, Listing]]
) -> int:
    """The new drafts in bulk, each with its "import" event; returns how many."""
    created = Listing.objects.bulk_create([listing for _line, listing in to_create], batch_size=500)
    catalogue_version.changed()
    if created and created[0].pk is None:  # databases that return no ids: fetch them by sku
        ids = dict(
            Listing.objects.filter(
                cooperative=cooperative, sku__in=[listing.sku for listing in created]
            ).values_list("sku", "pk")
        )
        for listing in created:
            listing.pk = listing.id = ids[listing.sku]
    ListingEvent.objects.bulk_create(
        [
            ListingEvent(
                listing=listing, actor=actor, action="import", from_status="", to_status="draft"
            )
            for listing in created
        ],
        batch_size=1000,
    )
    return len(created)


def _update_listings(
    to_update: list[tuple[int, Listing, set[str]]],
    actor: User | None,
    progress: Progress | None,
) -> int:
    """Save the changed listings; returns how many went back to review."""
    now = timezone.now()
    sent_back = 0
    for done, (_line, listing, changed) in enumerate(to_update, start=1):
        listing.updated_at = now
        listing.save()
        status_before = listing.status
        if send_back_if_needed(listing, changed=changed, actor=actor).status != status_before:
            sent_back += 1
        if progress and (done % 200 == 0 or done == len(to_update)):
            progress("write", done, len(to_update))
    return sent_back


@transaction.atomic
def catalogue_import(
    *,
    cooperative: Cooperative,
    actor: User | None,
    data: bytes,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Create and update listings from a CSV file, all or nothing. New rows become drafts;
    edits of published listings follow the review policy like any edit."""
    ensure_may_import(cooperative, actor, data)
    header, rows = _read(_decode(data))
    plan = _plan(header, rows, cooperative=cooperative, actor=actor, progress=progress)
    _refuse_errors(plan.errors)
    result = ImportResult(dry_run=dry_run, unchanged=plan.unchanged)
    if dry_run:
        result.created, result.updated = len(plan.to_create), len(plan.to_update)
        transaction.set_rollback(True)
        return result
    result.created = _create_listings(cooperative, actor, plan.to_create)
    result.sent_back_to_review = _update_listings(plan.to_update, actor, progress)
    result.updated = len(plan.to_update)
    return result
