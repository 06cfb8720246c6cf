"""The Payments page's form: the payout details a cooperative's country asks for, checked by
`cooperatives.payout_validation` (the same checks as the API and the service)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperatives.payout_validation import (
    FIELD_LABELS,
    SCHEME_FIELDS,
    PixKeyType,
    scheme_for,
    validate_payout_details,
)
from frontend.forms import apply_errors

MAX_LENGTHS = {
    "account_holder": 200,
    "holder_tax_id": 40,
    "cbu": 40,
    "alias": 40,
    "pix_key": 120,
    "bank_name": 120,
    "bank_code": 20,
    "branch": 20,
    "account_number": 40,
    "iban": 50,
    "bic": 20,
    "notes": 500,
}
HELP_TEXTS = {
    "cbu": _("22 digits (a CVU starts with 000). Spaces and hyphens are fine."),
    "alias": _("6 to 20 letters, digits, dots or hyphens, as your bank registered it."),
    "pix_key": _(
        "As registered at your bank: CPF or CNPJ digits, e-mail, +55 phone or random key."
    ),
    "iban": _("Spaces are fine; the check digits are verified."),
    "bank_code": _("The three-digit COMPE code (e.g. 001)."),
    "notes": _(
        "Anything else the buyer needs: type of account, currency, the format your bank asks "
        "for (e.g. BROU: savings account in pesos)."
    ),
}
NUMERIC_FIELDS = ("cbu", "bank_code", "branch")


class PayoutDetailsForm(forms.Form):
    """Built for one country: only the fields its scheme uses (see `SCHEME_FIELDS`)."""

    def __init__(self, *args: Any, country: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country = country
        self.scheme = scheme_for(country)
        for name in SCHEME_FIELDS[self.scheme]:
            field: forms.Field
            if name == "pix_key_type":
                field = forms.ChoiceField(
                    choices=[("", _("No PIX key")), *PixKeyType.choices], required=False
                )
            elif name == "notes":
                field = forms.CharField(
                    max_length=MAX_LENGTHS[name],
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            else:
                field = forms.CharField(max_length=MAX_LENGTHS[name], required=False)
                if name in NUMERIC_FIELDS:
                    field.widget.attrs["inputmode"] = "numeric"
                if name != "account_holder":
                    field.widget.attrs["autocomplete"] = "off"
                    field.widget.attrs["spellcheck"] = "false"
            field.label = FIELD_LABELS[name]
            field.help_text = HELP_TEXTS.get(name, "")
            self.fields[name] = field
        self.fields["account_holder"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.cleaned_details = validate_payout_details(self.country, data)
            except forms.ValidationError as error:
                apply_errors(self, error)
        return data
