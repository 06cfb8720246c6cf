"""Forms of the pages. They validate what a person typed; the services enforce the rules."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.forms import LockoutAuthenticationForm
from cooperatives.models import LegalForm, Role, Sector
from cooperatives.services import MAX_VERIFICATION_DOCUMENTS
from core.email import send_email
from core.money import AmountError, parse_amount
from core.reference import country_choices, time_zone_choices
from core.uploads import check_size
from frontend.credit_fields import credit_share_field, set_share_choices
from frontend.widgets import LongSelect

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"
DOCUMENT_ACCEPT = "application/pdf,image/jpeg,image/png,image/webp"


def date_field(label: Any, **kwargs: Any) -> forms.DateField:
    """A date the browser's date picker fills in (the ISO date it sends is what the form reads)."""
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def search_field(help_text: Any) -> forms.CharField:
    """The search box of a filter form: optional, a search input the browser does not fill."""
    return forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=help_text,
    )


class RowForm(forms.Form):
    """A row of a formset (a quote's line, an agreement's price, a standing order's line) whose
    legend says what it is: the first of `row_label_fields` filled in (a choice by its label,
    `row_label_formats` wrapping it), else "New line"."""

    row_label_fields: tuple[str, ...] = ()
    row_label_formats: dict[str, Any] = {}

    @property
    def row_label(self) -> str:
        for name in self.row_label_fields:
            value = self[name].value()
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                labels = {str(key): label for key, label in cast(list, field.choices)}
                value = labels.get(str(value), "") if value else ""
            value = str(value or "").strip()  # a category's indentation in the tree too
            if value:
                wrap = self.row_label_formats.get(name)
                return str(wrap % {"name": value}) if wrap else value
        return str(_("New line"))


def with_empty(empty_label: Any, choices: Any) -> list[tuple[str, Any]]:
    """`choices` after a first option, `empty_label`, that chooses none."""
    return [("", empty_label), *choices]


def optional_choice(
    label: Any, empty_label: Any, choices: Any, **options: Any
) -> forms.ChoiceField:
    """An optional choice among `choices`; the first option, `empty_label`, chooses none."""
    return forms.ChoiceField(
        label=label, required=False, choices=with_empty(empty_label, choices), **options
    )


def note_field(
    label: Any, *, max_length: int = 2000, rows: int = 3, **options: Any
) -> forms.CharField:
    """An optional text of a few lines (a note, a description)."""
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
        **options,
    )


def minor_units(typed: str, currency: str) -> int:
    """An amount typed in major units the reader's way, in minor units; else the field's error."""
    try:
        return parse_amount(typed, currency, get_language() or "en").amount
    except AmountError as error:
        raise forms.ValidationError(str(error)) from error


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def _countries(blank_label: str | None) -> list[tuple[str, str]]:
    choices = country_choices(get_language() or settings.LANGUAGE_CODE)
    return with_empty(blank_label, choices) if blank_label is not None else choices


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common or all-numeric password."),
    )
    password_again = forms.CharField(
        label=_("Password again"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its e-mail sent by the task queue like every other (core.email)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = render_to_string(subject_template_name, context)
        body = render_to_string(email_template_name, context)
        send_email(to=to_email, subject=subject, body=body)


class SignInForm(LockoutAuthenticationForm):
    """The sign-in page's form (accounts' lockout form), labelled for an e-mail login."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autofocus": True, "autocomplete": "email", "maxlength": 254}
        )
        # A copy: the class-level dict is shared by every instance of Django's form.
        self.error_messages = {**self.error_messages}
        self.error_messages["invalid_login"] = _(
            "This e-mail and password do not match an account. Check the password: "
            "upper and lower case letters differ."
        )


class DirectoryFilterForm(forms.Form):
    """The directory's filters; the same names as the API's query parameters."""

    search = search_field(_("Name, city, region or description."))
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = optional_choice(_("Sector"), _("Any sector"), Sector.choices)
    legal_form = optional_choice(_("Legal form"), _("Any legal form"), LegalForm.choices)
    verified = forms.BooleanField(
        label=_("Verified only"),
        label_suffix="",  # the box comes first: "☐ Verified only", no colon
        required=False,
        widget=forms.CheckboxInput(check_test=lambda value: value in (True, "true", "on")),
    )
    recuperated = forms.BooleanField(
        label=_("Worker-recuperated only"),
        label_suffix="",  # the box comes first: "☐ Verified only", no colon
        required=False,
        widget=forms.CheckboxInput(check_test=lambda value: value in (True, "true", "on")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _countries(str(_("Any country")))
        for name in ("verified", "recuperated"):
            self.fields[name].widget.attrs["value"] = "true"


class CooperativeForm(forms.Form):
    """A cooperative's public profile and the details only its members see."""

    name = forms.CharField(label=_("Name"), max_length=200)
    legal_form = forms.ChoiceField(label=_("Legal form"), choices=LegalForm.choices)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    country = forms.ChoiceField(label=_("Country"))
    region = forms.CharField(label=_("Region or province"), max_length=120, required=False)
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        widget=LongSelect,
        help_text=_("Members see times in it. Left blank: the zone of the country's capital."),
    )
    founded_year = forms.IntegerField(
        label=_("Year founded"), min_value=1800, max_value=2100, required=False
    )
    member_count = forms.IntegerField(
        label=_("Number of members"), min_value=1, max_value=10_000_000, required=False
    )
    is_recuperated = forms.BooleanField(
        label=_("We are a worker-recuperated enterprise"),
        label_suffix="",
        required=False,
        help_text=_("The workers took over and run a company its former owners abandoned."),
    )
    description = note_field(
        _("Description"),
        max_length=5000,
        rows=6,
        help_text=_("What you make or offer, how you work, whom you work with."),
    )
    description_language = optional_choice(
        _("Language of the description"),
        _("Not stated"),
        settings.LANGUAGES,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    tax_id = forms.CharField(
        label=_("Tax id (members only)"),
        max_length=40,
        required=False,
        help_text=_("CUIT, RUT, CNPJ, NIF… Shown to your members and to moderators only."),
    )
    address = forms.CharField(label=_("Address (members only)"), max_length=300, required=False)
    credit_share_bps = credit_share_field()
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG or WebP. It is cropped to a square and re-encoded."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _countries(
            str(_("Choose a country"))
        )
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = with_empty(
            str(_("The country's zone")), time_zone_choices()
        )
        self.initial.setdefault("credit_share_bps", 0)
        set_share_choices(self.fields["credit_share_bps"], self.initial["credit_share_bps"])

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if logo:
            # Only the size here: the service judges the content once it has counted the upload
            # toward the rates (core.uploads), and its message lands on this field.
            check_size(logo)
        return logo or None

    def profile(self) -> dict[str, Any]:
        """What the services take: every field; the logo only when one was uploaded."""
        data = dict(self.cleaned_data)
        for optional in ("logo", "credit_share_bps"):  # not sent: left as it is
            if data.get(optional) is None:
                data.pop(optional, None)
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person to invite"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": DOCUMENT_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class VerificationForm(forms.Form):
    """What `verification_request_submit` takes besides the cooperative and the person, by the
    same names."""

    documents = MultipleFileField(
        label=_("Documents"),
    )
    note = note_field(_("Note for the moderators"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["documents"].help_text = _(
            "Your statutes, registration certificate or a recent official record: "
            "PDF or images, up to %(count)s files."
        ) % {"count": MAX_VERIFICATION_DOCUMENTS}

    def clean_documents(self) -> list[Any]:
        documents = self.cleaned_data.get("documents") or []
        if len(documents) > MAX_VERIFICATION_DOCUMENTS:
            raise ValidationError(
                _("Attach at most %(count)s documents."),
                params={"count": MAX_VERIFICATION_DOCUMENTS},
            )
        for document in documents:
            check_size(document)
        return documents


class AccountForm(forms.Form):
    """The person's own name and the zone their pages show times in."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        widget=LongSelect,
        help_text=_("Dates and times on your pages are shown in this zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = time_zone_choices()
