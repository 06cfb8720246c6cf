"""A clearing run: the proposal of a multilateral set-off over the open invoices of one currency
(docs/credit.md), kept as it was computed so that it can be shown, checked and executed."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clearing.state import RunStatus
from core.models import acting_user, one_of_choices


class ClearingRun(models.Model):
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    proposed_by = acting_user(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Minor units: what the included invoices left owed, and how much of it the set-off clears.
    volume_amount = models.BigIntegerField(default=0)
    cleared_amount = models.BigIntegerField(default=0)
    invoice_count = models.PositiveIntegerField(default=0)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_by = acting_user(blank=True)
    # "YYYY-MM" for the monthly run of the periodic job (one per currency and month); blank for
    # a run the committee started.
    period = models.CharField(max_length=7, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("clearing run")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "period"],
                condition=~Q(period=""),
                name="clearingrun_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(cleared_amount__gte=0, cleared_amount__lte=F("volume_amount")),
                name="clearingrun_cleared_within_volume",
            ),
            one_of_choices("status", RunStatus, name="clearingrun_status_valid"),
        ]

    def __str__(self) -> str:
        return f"Clearing {self.currency} #{self.pk}"


class ClearingItem(models.Model):
    """One invoice in a run: what it left owed when proposed, and the amount to set off."""

    run = models.ForeignKey(ClearingRun, on_delete=models.CASCADE, related_name="items")
    invoice = models.ForeignKey("orders.Invoice", on_delete=models.PROTECT, related_name="+")
    debtor = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    creditor = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    amount_left = models.BigIntegerField()
    setoff_amount = models.BigIntegerField()

    class Meta:
        ordering = ["run", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "invoice"], name="clearingitem_once_per_run"),
            models.CheckConstraint(
                condition=Q(setoff_amount__gt=0, setoff_amount__lte=F("amount_left")),
                name="clearingitem_setoff_within_left",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} invoice {self.invoice_id}: {self.setoff_amount}"


class ClearingPosition(models.Model):
    """A participant's position in a run: owed to it and owed by it, before and after."""

    run = models.ForeignKey(ClearingRun, on_delete=models.CASCADE, related_name="positions")
    cooperative = models.ForeignKey(
        "cooperatives.Cooperative", on_delete=models.PROTECT, related_name="+"
    )
    owed_before = models.BigIntegerField()
    owing_before = models.BigIntegerField()
    owed_after = models.BigIntegerField()
    owing_after = models.BigIntegerField()

    class Meta:
        ordering = ["run", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "cooperative"], name="clearingposition_once_per_run"
            ),
            # The set-off never moves a net position.
            models.CheckConstraint(
                condition=Q(
                    owed_after__gte=0,
                    owing_after__gte=0,
                    owed_before__gte=F("owed_after"),
                    owing_before__gte=F("owing_after"),
                )
                & Q(
                    owed_before=F("owing_before") + F("owed_after") - F("owing_after"),
                ),
                name="clearingposition_net_unchanged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} {self.cooperative_id}"


class ClearingRunEvent(models.Model):
    """A change of a run's status: who did it and when (kept for the record)."""

    run = models.ForeignKey(ClearingRun, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    actor = acting_user(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.run} {self.action}"
