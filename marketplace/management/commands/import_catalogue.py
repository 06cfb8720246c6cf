"""manage.py import_catalogue COOP FILE: the CSV import of the API, from a shell."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cooperatives.models import Cooperative
from marketplace import services

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import a cooperative's catalogue from a CSV file (all or nothing, matched on sku)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("cooperative", help="The cooperative's slug.")
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and report; write nothing."
        )

    def _progress(self, stage: str, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        label = {"check": "Checking rows", "write": "Saving changes"}.get(stage, stage)
        end = "\n" if done >= total else ""
        self.stdout.write(
            f"\r{label:<15} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=end
        )
        self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        cooperative = Cooperative.objects.filter(slug=options["cooperative"]).first()
        if cooperative is None:
            raise CommandError(f"No cooperative with the slug {options['cooperative']!r}.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            result = services.catalogue_import(
                cooperative=cooperative,
                actor=None,
                data=path.read_bytes(),
                dry_run=options["dry_run"],
                progress=self._progress,
            )
        except services.CatalogueImportError as exc:
            for row in exc.rows:
                column = f" [{row.column}]" if row.column else ""
                self.stderr.write(f"line {row.line}{column}: {row.message}")
            raise CommandError(exc.message) from exc
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.total} rows into {cooperative.slug}: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
                + (
                    f", {result.sent_back_to_review} back to review"
                    if result.sent_back_to_review
                    else ""
                )
                + "."
            )
        )
