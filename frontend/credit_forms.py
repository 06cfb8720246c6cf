"""Forms of the credit and clearing pages. Amounts are typed in major units, the reader's way;
the services enforce the rules."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.forms import minor_units


class JoinForm(forms.Form):
    accept = forms.BooleanField(
        label=_("We have read these terms and accept them for our cooperative."),
        label_suffix="",  # the box comes first, no colon
        required=True,
    )
    clearing_consent = forms.BooleanField(
        label=_("Our invoices may take part in clearing runs (you can withdraw this later)."),
        label_suffix="",
        required=False,
        initial=True,
    )
    terms_version = forms.IntegerField(widget=forms.HiddenInput)


class ConsentForm(forms.Form):
    """The account page's clearing button: the state it asks for, yes or no (hidden; the
    button's words say which)."""

    clearing_consent = forms.TypedChoiceField(
        choices=[("True", "yes"), ("False", "no")],
        coerce=lambda value: value == "True",
        widget=forms.HiddenInput,
    )


class CreditPayForm(forms.Form):
    amount = forms.CharField(
        label=_("Amount to pay in credit"),
        max_length=40,
        help_text=_("Up to what is left of the invoice and your available credit."),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int:
        return minor_units(self.cleaned_data["amount"], self.currency)


class LineForm(forms.Form):
    """The committee's form: the line as how far below zero the balance may go (a positive
    amount, stored negative) and the upper limit, with the reason."""

    line = forms.CharField(
        label=_("Credit line: how far below zero the balance may go"), max_length=40
    )
    upper = forms.CharField(label=_("Upper limit of the balance"), max_length=40)
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_line(self) -> int:
        return -abs(minor_units(self.cleaned_data["line"], self.currency))

    def clean_upper(self) -> int:
        return abs(minor_units(self.cleaned_data["upper"], self.currency))

    def service_values(self) -> dict[str, Any]:
        """What `credit_line_set` takes, as typed: the limits in minor units and the reason."""
        data = self.cleaned_data
        return {"lower_limit": data["line"], "upper_limit": data["upper"], "reason": data["reason"]}


class RunForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"))

    def __init__(self, *args: Any, currencies: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["currency"])
        field.choices = [(code, code) for code in currencies]
