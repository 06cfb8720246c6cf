"""Forms of the requests-for-quotes, agreements and standing-orders pages. They check what a
person typed (amounts in major units, the reader's way); the quotes services enforce the rules."""

from datetime import datetime, time
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from frontend.catalogue_forms import amount_input, category_choices
from frontend.forms import MultipleFileField, RowForm, date_field, minor_units
from frontend.widgets import LongSelect
from marketplace.models import Unit
from quotes.models import MAX_QUANTITY, Visibility
from quotes.services.rfqs import MAX_ATTACHMENTS

QUOTE_LINE_ROWS = 3


def _optional(label: Any, help_text: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=120, required=False, help_text=help_text)


class RfqForm(forms.Form):
    """A request for quotes. The picker of invited cooperatives is a search field whose button
    (`find`) posts the form back with the matches as checkboxes: it works without JavaScript."""

    title = forms.CharField(label=_("Title"), max_length=200)
    specification = forms.CharField(
        label=_("Specification"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    delivery_place = forms.CharField(label=_("Delivery place"), max_length=300)
    delivery_date = date_field(_("Delivery date"))
    answers_due = date_field(
        _("Answers by"), help_text=_("Quotes are taken until the end of this day.")
    )
    visibility = forms.ChoiceField(
        label=_("Who may answer"),
        widget=forms.RadioSelect,
        initial=Visibility.PRIVATE,
        choices=[
            (Visibility.PRIVATE, _("Only the cooperatives I choose")),
            (Visibility.OPEN, _("Any cooperative selling in a category (and region)")),
        ],
    )
    find = _optional(
        _("Find cooperatives to ask"),
        _("A name, sector, city or country code; then press “Search”."),
    )
    invited = forms.MultipleChoiceField(
        label=_("Cooperatives asked"), required=False, widget=forms.CheckboxSelectMultiple
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=LongSelect)
    region = _optional(_("Region"), _("Leave it empty to ask sellers of every region."))
    is_split = forms.BooleanField(
        label=_("The award may be split across several quotes"),
        label_suffix="",  # the box comes first, no colon
        required=False,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args: Any, invitable: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["invited"]).choices = [
            (str(c.pk), f"{c.name} ({c.city}, {c.country})") for c in invitable
        ]
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices("—")
        self.fields["attachments"].help_text = _(
            "Drawings or specifications: PDF or images, up to %(count)s files."
        ) % {"count": MAX_ATTACHMENTS}

    def service_values(self) -> dict[str, Any]:
        """What `rfq_publish` takes as typed (the caller adds the invited and the category):
        the answers are due at the end of the chosen day."""
        data = self.cleaned_data
        typed = ("title", "specification", "quantity", "unit", "delivery_place", "delivery_date")
        return {name: data[name] for name in typed} | {
            "answers_due_at": timezone.make_aware(
                datetime.combine(data["answers_due"], time(23, 59, 59))
            ),
            "visibility": data["visibility"],
            "region": data["region"],
            "is_single_award": not data["is_split"],
            "attachments": data["attachments"],
        }


class QuoteLineForm(RowForm):
    row_label_fields = ("description",)

    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices, initial=Unit.PIECE)
    unit_price = forms.CharField(
        label=_("Unit price"), max_length=40, required=False, widget=amount_input()
    )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("description") or data.get("quantity") or data.get("unit_price"))


QuoteLineFormSet = forms.formset_factory(QuoteLineForm, extra=0, max_num=50)


class QuoteForm(forms.Form):
    """A version of a quote: the terms here, the lines in a `QuoteLineFormSet` beside it."""

    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    valid_until = date_field(_("Valid until"))
    lead_time_days = forms.IntegerField(label=_("Lead time (days)"), min_value=0, max_value=3650)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        min_value=0,
        max_value=365,
        help_text=_("The invoice is due this many days after it is issued."),
    )
    credit_share = forms.IntegerField(
        label=_("Share sold on credit (%)"), min_value=0, max_value=100, initial=0
    )
    note = forms.CharField(
        label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


def line_rows(formset: Any, currency: str) -> list[tuple[str, int, str, int]]:
    """The filled rows of a valid line formset as (description, quantity, unit, unit price in
    minor units); a row half filled is an error on that row."""
    rows = []
    for form in formset.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        if not (data.get("description") and data.get("quantity") and data.get("unit_price")):
            form.add_error(None, _("Fill the description, quantity and unit price of the line."))
            continue
        try:
            price = minor_units(data["unit_price"], currency)
        except forms.ValidationError as error:
            form.add_error("unit_price", error)
            continue
        rows.append((data["description"], data["quantity"], data["unit"], price))
    return rows


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
