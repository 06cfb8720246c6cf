"""The few tables that belong to no part of the domain."""

from django.db import models


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
