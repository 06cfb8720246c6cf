"""Forms of the pages that start an agreement (the seller proposes it) and a standing order (the
buyer sets it up under an active agreement). They read what a person typed (amounts in major
units, percentages, the reader's way); `agreement_propose` and `standing_order_create` decide."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from frontend.catalogue_forms import amount_input, category_choices
from frontend.forms import RowForm, date_field, minor_units, with_empty
from frontend.widgets import LongSelect
from marketplace.selectors import category_find
from quotes.models import MAX_QUANTITY, Schedule

PRICE_ROWS = 3
STANDING_LINE_ROWS = 3


def _percent(label: Any, **options: Any) -> forms.DecimalField:
    """A share typed in percent the reader's way ("2,5" in es), to basis points with `bps`."""
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_value=100,
        decimal_places=2,
        initial=0,
        localize=True,
        **options,
    )


def bps(percent: Decimal | None) -> int:
    return int((percent or 0) * 100)


def listing_choices(listings: Any) -> list[tuple[str, str]]:
    return [(str(listing.pk), listing.title) for listing in listings]


class AgreementForm(forms.Form):
    """An agreement's buyer and terms; its prices are an `AgreementPriceFormSet` beside it. The
    buyer picker is a search field whose button (`search`) posts the form back with the matches
    to choose from: it works without JavaScript."""

    name = forms.CharField(label=_("Name of the agreement"), max_length=200)
    find = forms.CharField(
        label=_("Find the buyer cooperative"),
        max_length=120,
        required=False,
        help_text=_("A name, sector, city or country code; then press “Search”."),
    )
    buyer = forms.ChoiceField(
        label=_("Buyer cooperative"), required=False, widget=forms.RadioSelect
    )
    buyer_group = forms.ChoiceField(label=_("Or one of your buyer groups"), required=False)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3)
    valid_from = date_field(_("Valid from"))
    valid_until = date_field(_("Valid until"))
    review_on = date_field(_("Review on"), required=False)
    payment_terms_days = forms.IntegerField(
        label=_("Payment terms (days)"),
        min_value=0,
        max_value=365,
        initial=30,
        help_text=_("The invoice is due this many days after it is issued."),
    )
    credit_share = _percent(_("Share sold on credit (%)"))
    early_payment_discount = _percent(_("Discount for early payment (%)"))
    early_payment_days = forms.IntegerField(
        label=_("Paid within (days)"), min_value=0, max_value=365, initial=0
    )

    def __init__(self, *args: Any, buyers: list[Any], groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["buyer"]).choices = [
            (str(c.pk), f"{c.name} ({c.city}, {c.country})" if c.city else c.name) for c in buyers
        ]
        if groups:
            cast(forms.ChoiceField, self.fields["buyer_group"]).choices = with_empty(
                "—", [(str(group.pk), group.name) for group in groups]
            )
        else:
            del self.fields["buyer_group"]

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()

    def terms(self) -> dict[str, Any]:
        """What `agreement_propose` takes as typed (the caller adds the buyer and the prices)."""
        data = self.cleaned_data
        typed = ("name", "currency", "valid_from", "valid_until", "review_on")
        return {name: data[name] for name in typed} | {
            "payment_terms_days": data["payment_terms_days"],
            "credit_share_bps": bps(data["credit_share"]),
            "early_payment_discount_bps": bps(data["early_payment_discount"]),
            "early_payment_days": data["early_payment_days"],
        }


class AgreementPriceForm(RowForm):
    """One row of the price list: a listing or a category, from a quantity, a fixed unit price or
    a discount on the public price."""

    row_label_fields = ("listing", "category")
    row_label_formats = {"category": _("%(name)s (the whole category)")}

    listing = forms.ChoiceField(label=_("Listing"), required=False, widget=LongSelect)
    category = forms.ChoiceField(label=_("Or a whole category"), required=False, widget=LongSelect)
    min_quantity = forms.IntegerField(
        label=_("From (units)"), min_value=1, max_value=MAX_QUANTITY, initial=1, required=False
    )
    fixed_price = forms.CharField(
        label=_("Fixed unit price"), max_length=40, required=False, widget=amount_input()
    )
    discount = forms.DecimalField(
        label=_("Or a discount (%)"),
        min_value=Decimal("0.01"),
        max_value=100,
        decimal_places=2,
        localize=True,
        required=False,
    )

    def __init__(self, *args: Any, listings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["listing"]).choices = with_empty("—", listings)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices("—")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(name) for name in ("listing", "category", "fixed_price", "discount")
        )


AgreementPriceFormSet = forms.formset_factory(AgreementPriceForm, extra=0, max_num=200)


def price_rows(formset: Any, currency: str) -> list[dict[str, Any]]:
    """The filled rows of a valid price formset as `agreement_propose` takes them; a row that names both or neither of
    a listing and a category, or of a price and a discount, is an error on that row."""
    rows = []
    for form in formset.forms:
        if form.is_blank():
            continue
        data = form.cleaned_data
        if bool(data["listing"]) == bool(data["category"]):
            form.add_error(None, _("Price one listing or one category per row."))
            continue
        if bool(data["fixed_price"]) == (data["discount"] is not None):
            form.add_error(None, _("Give a fixed price or a discount per row."))
            continue
        try:
            fixed = minor_units(data["fixed_price"], currency) if data["fixed_price"] else None
        except forms.ValidationError as error:
            form.add_error("fixed_price", error)
            continue
        rows.append(
            {
                "listing_id": int(data["listing"]) if data["listing"] else None,
                "category": category_find(data["category"]) if data["category"] else None,
                "min_quantity": data["min_quantity"] or 1,
                "fixed_price_amount": fixed,
                "discount_bps": None if data["discount"] is None else bps(data["discount"]),
            }
        )
    return rows


class StandingOrderForm(forms.Form):
    """A standing order's period and dates; its lines are a `StandingLineFormSet` beside it."""

    schedule = forms.ChoiceField(
        label=_("How often"),
        widget=forms.RadioSelect,
        initial=Schedule.WEEKLY,
        choices=[(Schedule.WEEKLY, _("Every week")), (Schedule.MONTHLY, _("Every month"))],
    )
    starts_on = date_field(_("First period starts on"))
    ends_on = date_field(_("Last period starts by"), required=False)


class StandingLineForm(RowForm):
    row_label_fields = ("listing",)

    listing = forms.ChoiceField(label=_("Listing"), required=False, widget=LongSelect)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, required=False
    )

    def __init__(self, *args: Any, listings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["listing"]).choices = with_empty("—", listings)


StandingLineFormSet = forms.formset_factory(StandingLineForm, extra=0, max_num=50)


def standing_lines(formset: Any) -> list[tuple[int, int]]:
    """The filled lines of a valid line formset as (listing id, quantity); a line with a listing
    and no quantity (or the other way round) is an error on that line."""
    lines = []
    for form in formset.forms:
        data = form.cleaned_data
        if not (data.get("listing") or data.get("quantity")):
            continue
        if not (data.get("listing") and data.get("quantity")):
            form.add_error(None, _("Choose the listing and the quantity of the line."))
            continue
        lines.append((int(data["listing"]), data["quantity"]))
    return lines
