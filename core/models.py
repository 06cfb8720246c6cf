"""The few tables that belong to no part of the domain."""

from django.db import models


class EmailFailure(models.Model):
    """An e-mail the mail server did not take (core.email records it): admins see it in the
    Django admin, so a message that never left is noticed and can be sent again by hand."""

    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-failed_at", "-id"]
        verbose_name = "outbound e-mail failure"

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"
