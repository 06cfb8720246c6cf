"""Mutual credit (docs/credit.md): one credit system per currency with versioned terms, the
accounts of the cooperatives that joined it (their balance is a ledger account of kind
`credit`), their limits, and the append-only logs of every change of their limits and of their
consent to clearing."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cooperatives.models import Cooperative
from core.append_only import AppendOnlyModel
from core.models import acting_user, one_of_choices
from credit.state import LineRequestStatus
from ledger.models import Account


class CreditSystem(models.Model):
    """ "Crédito Minga ARS": 1 credit = 1 minor unit of the currency; never mixed with another."""

    currency = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=120)
    # The upper limit a new member starts with (minor units).
    default_upper_limit = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_upper_limit__gte=0), name="creditsystem_upper_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def current_terms(self) -> "CreditTerms | None":
        return self.terms.order_by("-version").first()


class CreditTerms(models.Model):
    """One version of a system's terms; a new version is a new row, never an edit."""

    system = models.ForeignKey(CreditSystem, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["system", "version"]
        verbose_name_plural = "credit terms"
        constraints = [
            models.UniqueConstraint(fields=["system", "version"], name="creditterms_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.system} v{self.version}"


class CreditAccount(models.Model):
    """A cooperative's membership of a system: its ledger account (kind `credit`), its credit line
    (`lower_limit` ≤ 0) and its upper limit, and whether its invoices take part in clearing."""

    system = models.ForeignKey(CreditSystem, on_delete=models.PROTECT, related_name="accounts")
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="credit_accounts"
    )
    ledger_account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="+")
    lower_limit = models.BigIntegerField(default=0)
    upper_limit = models.BigIntegerField(default=0)
    # Standing consent to clearing, given on joining and revocable (docs/credit.md, "Consent").
    clearing_consent = models.BooleanField(default=True)
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["system", "cooperative_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "cooperative"], name="creditaccount_once_per_system"
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__lte=0, upper_limit__gte=0),
                name="creditaccount_limits_around_zero",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cooperative_id} in {self.system}"


class TermsAcceptance(models.Model):
    """Who accepted which version of the terms for a cooperative, and when."""

    account = models.ForeignKey(CreditAccount, on_delete=models.CASCADE, related_name="acceptances")
    terms = models.ForeignKey(CreditTerms, on_delete=models.PROTECT, related_name="+")
    accepted_by = acting_user()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "accepted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["account", "terms"], name="termsacceptance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.account} accepted {self.terms}"


class LineRequest(models.Model):
    """A committee member's change of an account's limits, with the reason; above the four-eyes
    threshold it waits for a second member, then it is applied."""

    account = models.ForeignKey(CreditAccount, on_delete=models.CASCADE, related_name="requests")
    lower_limit = models.BigIntegerField()
    upper_limit = models.BigIntegerField()
    reason = models.TextField()
    status = models.CharField(
        max_length=16, choices=LineRequestStatus.choices, default=LineRequestStatus.PENDING
    )
    requested_by = acting_user()
    approved_by = acting_user(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["account", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lower_limit__lte=0, upper_limit__gte=0),
                name="linerequest_limits_around_zero",
            ),
            one_of_choices("status", LineRequestStatus, name="linerequest_status_valid"),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("requested_by")),
                name="linerequest_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.lower_limit}..{self.upper_limit} ({self.status})"


class LineLog(AppendOnlyModel):
    """Every change of limits that took effect: from what, to what, why, set by and approved by.
    Append-only, like the journal (core.append_only.AppendOnlyModel)."""

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="log")
    lower_before = models.BigIntegerField()
    upper_before = models.BigIntegerField()
    lower_after = models.BigIntegerField()
    upper_after = models.BigIntegerField()
    reason = models.TextField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.account}: {self.lower_after}..{self.upper_after}"


class ConsentLog(AppendOnlyModel):
    """Every change of an account's consent to clearing (`credit_consent_set`): to what, by whom,
    when. Append-only in Django; unlike the log of its limits no trigger, since the person's
    column empties when their user is deleted (`acting_user`)."""

    account = models.ForeignKey(CreditAccount, on_delete=models.PROTECT, related_name="consent_log")
    clearing_consent = models.BooleanField(help_text="The consent after the change.")
    changed_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["account", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.account}: consent {'given' if self.clearing_consent else 'withdrawn'}"
