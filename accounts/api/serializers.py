from django.conf import settings
from rest_framework import serializers

from accounts.models import ApiToken, User
from core.reference import clean_site_language


class RegisterInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    name = serializers.CharField(max_length=150)


class RegisterOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    token = serializers.CharField()


class CredentialsSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )


class TokenInputSerializer(CredentialsSerializer):
    name = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text='What the key is for (e.g. "stock sync"), to tell keys apart in the list.',
    )


class TokenOutputSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="The key: send it as `Authorization: Token <key>`. Shown this once: only its "
        "hash is kept."
    )
    id = serializers.IntegerField(help_text="To revoke it: `DELETE /api/v1/auth/tokens/{id}/`.")
    expires_at = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    is_current = serializers.SerializerMethodField(
        help_text="Whether this request was made with this key."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "is_current"]
        extra_kwargs = {"prefix": {"help_text": "The key's first characters."}}

    def get_is_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        current = getattr(request, "auth", None)
        return isinstance(current, ApiToken) and current.pk == token.pk


class LogoutInputSerializer(serializers.Serializer):
    everywhere = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Also revoke every API key of yours (the key this request came with is "
        "revoked in any case).",
    )


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )


class PersonalDataSerializer(serializers.Serializer):
    """The shape of `GET /me/export/` (for the schema; the view answers the service's dict)."""

    format = serializers.CharField(help_text="`minga-personal-data/1`")
    exported_at = serializers.DateTimeField()
    profile = serializers.DictField()
    memberships = serializers.ListField(child=serializers.DictField())
    orders_placed = serializers.ListField(
        child=serializers.DictField(), help_text="Orders you placed, with their lines."
    )
    order_events = serializers.ListField(
        child=serializers.DictField(), help_text="What you did to orders (accept, cancel, ...)."
    )
    messages = serializers.ListField(
        child=serializers.DictField(), help_text="Messages you wrote in order threads."
    )
    reports = serializers.ListField(child=serializers.DictField())
    appeals = serializers.ListField(child=serializers.DictField())


class MembershipBriefSerializer(serializers.Serializer):
    cooperative = serializers.SlugField(source="cooperative.slug")
    cooperative_name = serializers.CharField(source="cooperative.name")
    role = serializers.CharField()


class SiteLanguageField(serializers.ChoiceField):
    """One of the site's language codes or blank, in any case (`pt-BR` is `pt-br`): an enum in
    the schema, so clients and the fuzzer know what is taken."""

    def to_internal_value(self, data: object) -> str:
        return str(super().to_internal_value(clean_site_language(str(data))))


class MeSerializer(serializers.ModelSerializer):
    is_moderator = serializers.BooleanField(read_only=True)
    language = SiteLanguageField(
        choices=[("", "The browser's choice"), *settings.LANGUAGES],
        required=False,
        allow_blank=True,
        help_text="One of the site's language codes (en, es, pt-br), or blank for the browser's "
        "choice.",
    )
    time_zone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="Your IANA time zone (America/Montevideo): times are answered in it and days "
        "are its days. Blank: UTC.",
    )
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "name", "language", "time_zone", "is_moderator", "memberships"]
        read_only_fields = ["id", "email", "is_moderator", "memberships"]

    @staticmethod
    def get_memberships(user: User) -> list[dict[str, str]]:
        memberships = user.memberships.select_related("cooperative").order_by("cooperative__name")
        return MembershipBriefSerializer(memberships, many=True).data  # type: ignore[return-value]
