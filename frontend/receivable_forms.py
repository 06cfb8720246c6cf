"""Forms of the receivables pages: an amount is typed in major units, in the reader's way."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import MAX_REASON_LENGTH
from frontend.forms import minor_units, optional_choice
from orders.receivables.state import MANUAL_RAILS, InvoiceStatus, PaymentRail


class _PaymentFields(forms.Form):
    amount = forms.CharField(label=_("Amount"), max_length=40)
    paid_on = forms.DateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    reference = forms.CharField(label=_("Reference"), max_length=120, required=False)
    rail = forms.ChoiceField(
        label=_("How it was paid"), choices=MANUAL_RAILS, initial=PaymentRail.BANK_TRANSFER
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["paid_on"].initial = timezone.localdate()

    def clean_amount(self) -> int:
        return minor_units(self.cleaned_data["amount"], self.currency)


class PaymentForm(_PaymentFields):
    pass


class NoticeForm(_PaymentFields):
    proof = forms.FileField(label=_("Proof of payment (PDF or image)"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why"), max_length=MAX_REASON_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class InvoiceFilterForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Show"),
        choices=[("seller", _("Receivables (we sold)")), ("buyer", _("Payables (we bought)"))],
        required=False,
    )
    status = optional_choice(_("Status"), _("Any"), InvoiceStatus.choices)
