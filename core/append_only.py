"""Tables whose rows are written once (the moderation log, the ledger's journal): the model and
its querysets refuse updates and deletes, with the table's own words; on PostgreSQL a trigger
refuses them too (each app's migration)."""

from typing import Any, ClassVar, NoReturn

from django.db import models


class AppendOnlyError(RuntimeError):
    """Somebody tried to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Bulk writes that would rewrite history are refused, like single-row ones."""

    def _refuse(self, verb: str) -> NoReturn:
        raise AppendOnlyError(
            f"{self.model.append_only_name} is append-only: rows cannot be {verb}."
        )

    def update(self, **kwargs: Any) -> NoReturn:
        self._refuse("updated")

    def delete(self) -> NoReturn:  # type: ignore[override]
        self._refuse("deleted")

    def _raw_delete(self, using: Any) -> NoReturn:
        self._refuse("deleted")


class AppendOnlyModel(models.Model):
    """Rows are written once: a second save would rewrite history."""

    append_only_name: ClassVar[str] = "This table"

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(
                f"{self.append_only_name} is append-only: rows cannot be updated."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError(f"{self.append_only_name} is append-only: rows cannot be deleted.")
