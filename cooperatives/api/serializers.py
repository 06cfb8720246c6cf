from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperatives.models import (
    Cooperative,
    Invitation,
    LegalForm,
    Membership,
    Role,
    Sector,
    VerificationDocument,
)
from cooperatives.payout_validation import (
    FIELDS,
    PixKeyType,
    display_rows,
    scheme_for,
    validate_payout_details,
)
from core.api.fields import OptionalEmailField, OptionalURLField
from core.api.serializers import FieldsBuiltOnce, ReadOnlyModelSerializer
from core.reference import clean_site_language, country_codes
from core.text import validate_multi_line, validate_one_line


class CooperativeRefSerializer(FieldsBuiltOnce, ReadOnlyModelSerializer):
    class Meta:
        model = Cooperative
        fields = ["id", "slug", "name", "country"]


class CooperativeSerializer(ReadOnlyModelSerializer):
    """The public profile. Contact details that are for members only are added by the private form."""

    is_verified = serializers.BooleanField(read_only=True)
    website = OptionalURLField(read_only=True)
    contact_email = OptionalEmailField(read_only=True)
    logo_url = serializers.SerializerMethodField()

    class Meta:
        model = Cooperative
        fields = [
            "id",
            "slug",
            "name",
            "legal_form",
            "sector",
            "country",
            "region",
            "city",
            "time_zone",
            "founded_year",
            "member_count",
            "description",
            "description_language",
            "website",
            "contact_email",
            "phone",
            "is_recuperated",
            "verification_status",
            "is_verified",
            "verified_at",
            "logo_url",
            "is_payouts_enabled",
            "credit_share_bps",
            "created_at",
        ]

    def get_logo_url(self, cooperative: Cooperative) -> str | None:
        if not cooperative.logo:
            return None
        request = self.context.get("request")
        url = cooperative.logo.url
        return request.build_absolute_uri(url) if request else url


class CooperativePrivateSerializer(CooperativeSerializer):
    """What members and moderators see besides the public profile."""

    class Meta(CooperativeSerializer.Meta):
        fields = [*CooperativeSerializer.Meta.fields, "tax_id", "address"]


class CountryCodeField(serializers.ChoiceField):
    """An ISO 3166-1 alpha-2 code, in either case (stored upper-case by the service): an enum in
    the schema, so that a client (and the schema fuzzing) knows "00" is not a country."""

    def __init__(self, **kwargs: Any) -> None:
        codes = sorted(country_codes())
        super().__init__(choices=[*codes, *(code.lower() for code in codes)], **kwargs)


class CooperativeWriteSerializer(serializers.Serializer):
    # The model's text checks, here too: the schema then states them (core.api.schema).
    name = serializers.CharField(max_length=200, validators=[validate_one_line])
    slug = serializers.SlugField(max_length=80, required=False)
    legal_form = serializers.ChoiceField(choices=LegalForm.choices)
    sector = serializers.ChoiceField(choices=Sector.choices)
    country = CountryCodeField()
    region = serializers.CharField(
        max_length=120, required=False, allow_blank=True, validators=[validate_one_line]
    )
    city = serializers.CharField(
        max_length=120, required=False, allow_blank=True, validators=[validate_one_line]
    )
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="IANA zone name (America/Montevideo); blank: the country's zone.",
    )
    founded_year = serializers.IntegerField(
        min_value=1800, max_value=2100, required=False, allow_null=True
    )
    member_count = serializers.IntegerField(
        min_value=1, max_value=10_000_000, required=False, allow_null=True
    )
    description = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, validators=[validate_multi_line]
    )
    description_language = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        help_text="The language the description is written in: en, es, pt-br, or blank.",
    )
    website = OptionalURLField(required=False, allow_blank=True)
    contact_email = OptionalEmailField(required=False, allow_blank=True)
    phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True, validators=[validate_one_line]
    )
    tax_id = serializers.CharField(
        max_length=40, required=False, allow_blank=True, validators=[validate_one_line]
    )
    address = serializers.CharField(
        max_length=300, required=False, allow_blank=True, validators=[validate_one_line]
    )
    is_recuperated = serializers.BooleanField(required=False)
    credit_share_bps = serializers.IntegerField(
        min_value=0,
        max_value=10_000,
        required=False,
        help_text="Share of a price accepted in mutual credit, in basis points (10000 = 100 %).",
    )
    # A FileField, not an ImageField: the service judges the content (core.uploads.open_image)
    # and names the problem (too large, too many pixels, truncated) instead of one vague message.
    logo = serializers.FileField(
        required=False,
        help_text="JPEG, PNG or WebP, at most MAX_UPLOAD_BYTES; re-encoded as a square WebP.",
    )

    def validate_description_language(self, value: str) -> str:
        return clean_site_language(value)


class MemberSerializer(ReadOnlyModelSerializer):
    user_id = serializers.IntegerField(source="user.id", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user_id", "name", "email", "role", "created_at"]


class CooperativeExportSerializer(serializers.Serializer):
    """The shape of `GET /cooperatives/{coop}/export/` (for the schema)."""

    format = serializers.CharField(help_text="`minga-cooperative-export/1`")
    exported_at = serializers.DateTimeField()
    cooperative = serializers.DictField()
    members = serializers.ListField(child=serializers.DictField())
    invitations = serializers.ListField(child=serializers.DictField())
    verification_requests = serializers.ListField(child=serializers.DictField())
    listings = serializers.ListField(child=serializers.DictField())
    orders = serializers.ListField(
        child=serializers.DictField(),
        help_text="As buyer and as seller (`role`), with lines, events and messages.",
    )
    invoices = serializers.ListField(child=serializers.DictField())


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)


class InvitationSerializer(ReadOnlyModelSerializer):
    """An open invitation. Its token (the secret in the e-mailed link) is shown to those who
    may manage members (context `can_manage`); other members see null."""

    cooperative = serializers.SlugField(source="cooperative.slug", read_only=True)
    token = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "cooperative", "email", "role", "token", "created_at", "expires_at"]

    def get_token(self, invitation: Invitation) -> str | None:
        return invitation.token if self.context.get("can_manage") else None


class VerificationInputSerializer(serializers.Serializer):
    documents = serializers.ListField(
        child=serializers.FileField(),
        min_length=1,
        max_length=5,
        help_text="One to five PDF or image files (multipart, repeat the field).",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class VerificationDocumentSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = VerificationDocument
        fields = ["id", "original_name", "content_type", "size"]


class VerificationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    cooperative = serializers.SlugField(source="cooperative.slug")
    status = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    documents = VerificationDocumentSerializer(many=True)


class PayoutDetailsSerializer(serializers.Serializer):
    """Where buyers pay the cooperative's invoices (`GET, PATCH …/payout-details/`). Which fields
    apply depends on `scheme`, from the cooperative's country: `ar` (`cbu`, `alias`), `br`
    (`pix_key_type`, `pix_key`, optional `bank_name bank_code branch account_number`), `iban`
    (`iban`, optional `bic`), `account` (`bank_name`, `account_number`, optional `branch`, `iban`,
    `bic`). `account_holder` is always required. A PATCH sends any subset; the result is checked
    whole (check digits included) and each refused field gets its message (400)."""

    country = serializers.CharField(read_only=True)
    scheme = serializers.SerializerMethodField()
    account_holder = serializers.CharField(max_length=200, required=False, allow_blank=True)
    holder_tax_id = serializers.CharField(max_length=40, required=False, allow_blank=True)
    cbu = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="CBU or CVU: 22 digits."
    )
    alias = serializers.CharField(max_length=40, required=False, allow_blank=True)
    pix_key_type = serializers.ChoiceField(
        choices=PixKeyType.choices, required=False, allow_blank=True
    )
    pix_key = serializers.CharField(max_length=120, required=False, allow_blank=True)
    bank_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    bank_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    branch = serializers.CharField(max_length=20, required=False, allow_blank=True)
    account_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    iban = serializers.CharField(max_length=50, required=False, allow_blank=True)
    bic = serializers.CharField(max_length=20, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True)
    is_set = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_scheme(self, details: Any) -> str:
        return scheme_for(details.country)

    def get_is_set(self, details: Any) -> bool:
        return bool(getattr(details, "pk", None))

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"label": {"type": "string"}, "value": {"type": "string"}},
            },
        }
    )
    def get_display(self, details: Any) -> list[dict[str, str]]:
        """What invoices print, labelled in the reader's language."""
        return [{"label": label, "value": value} for label, value in display_rows(details)]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Checked as a whole, merged over the details already stored (a PATCH)."""
        current = self.instance
        merged = {field: getattr(current, field, "") or "" for field in FIELDS}
        merged.update(attrs)
        validate_payout_details(self.context["country"], merged)
        return merged
