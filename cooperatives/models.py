import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperatives.state import VerificationStatus
from core.models import acting_user, one_of_choices, private_file_name
from core.reference import country_time_zone, validate_country_code, validate_time_zone
from core.text import validate_multi_line, validate_one_line


class LegalForm(models.TextChoices):
    WORKER = "worker", _("Worker cooperative")
    RECUPERATED = "recuperated", _("Worker-recuperated enterprise")
    PRODUCER = "producer", _("Producer cooperative")
    CONSUMER = "consumer", _("Consumer cooperative")
    PLATFORM = "platform", _("Platform cooperative")
    MULTI_STAKEHOLDER = "multi_stakeholder", _("Multi-stakeholder cooperative")
    HOUSING = "housing", _("Housing cooperative")
    CREDIT = "credit", _("Credit union or financial cooperative")
    SECOND_DEGREE = "second_degree", _("Federation (second-degree cooperative)")
    OTHER = "other", _("Other social and solidarity enterprise")


class Sector(models.TextChoices):
    FOOD = "food", _("Food and agriculture")
    TEXTILES = "textiles", _("Textiles and clothing")
    PRINTING = "printing", _("Printing and publishing")
    METALWORK = "metalwork", _("Metalwork and machinery")
    CONSTRUCTION = "construction", _("Construction")
    FURNITURE = "furniture", _("Furniture and woodwork")
    CARE = "care", _("Cleaning and care services")
    LOGISTICS = "logistics", _("Logistics and transport")
    SOFTWARE = "software", _("Software and digital services")
    EDUCATION = "education", _("Education and training")
    HOSPITALITY = "hospitality", _("Hospitality")
    RECYCLING = "recycling", _("Recycling")
    ENERGY = "energy", _("Energy")
    HEALTH = "health", _("Health")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    MEMBER = "member", _("Member")


MANAGING_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Side(models.TextChoices):
    """The role a cooperative plays in a trade: in an order, and in the versions of a quote."""

    BUYER = "buyer", _("Buyer")
    SELLER = "seller", _("Seller")


def logo_path(instance: "Cooperative", filename: str) -> str:
    return f"cooperatives/{instance.slug}/logo-{secrets.token_hex(4)}.webp"


class Cooperative(models.Model):
    name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=80, unique=True)
    legal_form = models.CharField(max_length=32, choices=LegalForm.choices)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    country = models.CharField(
        max_length=2, help_text="ISO 3166-1 alpha-2", validators=[validate_country_code]
    )
    region = models.CharField(max_length=120, blank=True, validators=[validate_one_line])
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="IANA name (America/Montevideo); its country's zone when left blank.",
    )
    city = models.CharField(max_length=120, blank=True, validators=[validate_one_line])
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    member_count = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000_000)]
    )
    description = models.TextField(blank=True, max_length=5000, validators=[validate_multi_line])
    description_language = models.CharField(max_length=10, blank=True)
    logo = models.ImageField(upload_to=logo_path, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True, validators=[validate_one_line])
    tax_id = models.CharField(
        max_length=40, blank=True, help_text="CUIT, RUT, CNPJ, NIF…", validators=[validate_one_line]
    )
    address = models.CharField(max_length=300, blank=True, validators=[validate_one_line])
    is_recuperated = models.BooleanField(default=False)
    verification_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.UNVERIFIED
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    stripe_account_id = models.CharField(max_length=64, blank=True)
    is_payouts_enabled = models.BooleanField(default=False)
    payment_terms_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(365)],
        help_text="Days a buyer has to pay this cooperative's invoices (the due date's default).",
    )
    # The share of a price it accepts in mutual credit, in basis points (docs/credit.md).
    credit_share_bps = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text="Share of a price this cooperative accepts in mutual credit (0-10000 bps).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["country", "sector"]),
            models.Index(fields=["verification_status"]),
        ]
        constraints = [
            one_of_choices(
                "verification_status",
                VerificationStatus,
                name="cooperative_verification_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(credit_share_bps__lte=10_000),
                name="cooperative_credit_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone_name(self) -> str:
        """The cooperative's time zone: the one it named, else its country's."""
        return self.time_zone or country_time_zone(self.country)

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

    @property
    def is_suspended(self) -> bool:
        return self.verification_status == VerificationStatus.SUSPENDED


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "cooperative"], name="membership_unique"),
            one_of_choices("role", Role, name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} of {self.cooperative}"

    @property
    def is_last_owner(self) -> bool:
        """The only owner of its cooperative, which must never be left without one."""
        others = self.cooperative.memberships.filter(role=Role.OWNER).exclude(pk=self.pk)
        return self.role == Role.OWNER and not others.exists()


def invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)


class Invitation(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=invitation_token)
    invited_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = acting_user(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "cooperative",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.cooperative}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class VerificationRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="verification_requests"
    )
    submitted_by = acting_user()
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = acting_user(blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative"],
                condition=models.Q(status="pending"),
                name="verification_one_pending_per_cooperative",
            ),
        ]

    def __str__(self) -> str:
        return f"Verification of {self.cooperative} ({self.status})"


def document_path(instance: "VerificationDocument", filename: str) -> str:
    folder = f"verification/{instance.request.cooperative_id}"
    return private_file_name(folder, instance.content_type)


def private_storage():  # type: ignore[no-untyped-def]
    from core.storage import private_storage

    return private_storage


class VerificationDocument(models.Model):
    request = models.ForeignKey(
        VerificationRequest, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(upload_to=document_path, storage=private_storage)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class PayoutDetails(models.Model):
    """Where buyers pay a cooperative's invoices: a bank account or an instant-payment key, by the
    rules of its country (`cooperatives.payout_validation`). One set per cooperative; shown on its
    invoices and on its orders' pages. Card payouts go through Stripe and are not kept here."""

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="payout_details"
    )
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2: whose rules apply")
    account_holder = models.CharField(max_length=200)
    holder_tax_id = models.CharField(max_length=40, blank=True, help_text="CUIT, RUT, CNPJ, NIF…")
    cbu = models.CharField(max_length=22, blank=True, help_text="Argentina: CBU or CVU")
    alias = models.CharField(max_length=20, blank=True, help_text="Argentina: CBU/CVU alias")
    pix_key_type = models.CharField(max_length=8, blank=True)
    pix_key = models.CharField(max_length=77, blank=True)
    bank_name = models.CharField(max_length=120, blank=True)
    bank_code = models.CharField(max_length=20, blank=True)
    branch = models.CharField(max_length=20, blank=True)
    account_number = models.CharField(max_length=40, blank=True)
    iban = models.CharField(max_length=34, blank=True)
    bic = models.CharField(max_length=11, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = acting_user(blank=True)

    class Meta:
        verbose_name_plural = "payout details"

    def __str__(self) -> str:
        return f"Payout details of {self.cooperative}"
