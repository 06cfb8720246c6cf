"""The few tables that belong to no part of the domain, and what every app's models share."""

import secrets
from typing import Any, overload

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.money import Money


def acting_user(*, blank: bool = False) -> "models.ForeignKey[Any, Any]":
    """The person who did something (created, recorded, decided it): the record outlives their
    account (the column becomes NULL) and the user has no reverse accessor for it."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
    )


def one_of_choices(
    field: str, choices: type[models.Choices], *, name: str
) -> models.CheckConstraint:
    """The database refuses a value of `field` that is not one of `choices`, as forms and
    serializers do: a status, kind or rail written by raw SQL or a bug is refused too."""
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def exactly_one_of(first: str, second: str) -> Q:
    """A row names one of two things, never both or neither: one column is set, the other NULL."""
    return Q(**{f"{first}__isnull": False, f"{second}__isnull": True}) | Q(
        **{f"{first}__isnull": True, f"{second}__isnull": False}
    )


# What a private upload (a PDF, or an image re-encoded by core.uploads) is stored as.
PRIVATE_FILE_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def private_file_name(folder: str, content_type: str) -> str:
    """A name nobody can guess for a private upload in `folder`, with its type's extension."""
    extension = PRIVATE_FILE_EXTENSIONS.get(content_type, "webp")
    return f"{folder}/{secrets.token_hex(16)}.{extension}"


class MoneyOf:
    """A row's `*_amount` column read with the row's `currency`, as one `Money` (a money pair is
    stored as those two columns): `total = MoneyOf("total_amount")`."""

    def __init__(self, amount_field: str) -> None:
        self.amount_field = amount_field

    @overload
    def __get__(self, row: None, owner: Any) -> "MoneyOf": ...

    @overload
    def __get__(self, row: models.Model, owner: Any) -> Money: ...

    def __get__(self, row: models.Model | None, owner: Any) -> "Money | MoneyOf":
        if row is None:
            return self
        return Money(getattr(row, self.amount_field), row.currency)  # type: ignore[attr-defined]


class Failure(models.Model):
    """Something Minga could not do, kept for admins (read-only lists in the Django admin)."""

    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-failed_at", "-id"]


class EmailFailure(Failure):
    """An e-mail the mail server did not take (core.email records it): admins see it in the
    Django admin, so a message that never left is noticed and can be sent again by hand."""

    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)

    class Meta(Failure.Meta):
        verbose_name = "outbound e-mail failure"

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class TaskFailure(Failure):
    """A background task that failed every time it was tried (core.tasks records it after its
    last retry): admins see it in the Django admin, with what it was given, so nothing a task
    should have done goes unnoticed. Payments are also swept by the periodic retry_transfers."""

    task = models.CharField(max_length=200)
    arguments = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=1)

    class Meta(Failure.Meta):
        verbose_name = "background task failure"

    def __str__(self) -> str:
        return f"{self.task}({self.arguments})"
