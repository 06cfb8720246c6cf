"""Forms of the catalogue pages. The browsing form has the API's parameter names and is checked by
the API's own FilterSet (marketplace.filters.ListingFilter); listing forms check what a person
typed and hand it to marketplace.services, which enforce the rules."""

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.reference import country_choices, currency_codes, currency_decimals
from frontend.widgets import LongSelect
from marketplace import selectors
from marketplace.models import MAX_STOCK, DeliveryMode, ListingKind, Unit
from moderation.models import ReportReason

CHECKED = {"check_test": lambda value: value in (True, "true", "on")}
ORDERING_LABELS = [
    ("", _("Best match, or newest")),
    ("-published_at", _("Newest first")),
    ("price_amount", _("Price, lowest first")),
    ("-price_amount", _("Price, highest first")),
]


def _locale() -> str:
    return (get_language() or "en").replace("-", "_")


def _currencies(empty: str | None) -> list[tuple[str, str]]:
    codes = [(code, code) for code in sorted(currency_codes())]
    return [("", empty), *codes] if empty is not None else codes


def category_choices(empty: str | None) -> list[tuple[str, str]]:
    """The category tree as one flat list, children indented under their parent (one query)."""
    choices: list[tuple[str, str]] = [("", empty)] if empty is not None else []

    def walk(nodes: list[selectors.CategoryNode], depth: int) -> None:
        for node in nodes:
            label = selectors.category_label(node.category)
            choices.append((node.category.slug, "\u2003" * depth + label))
            walk(node.children, depth + 1)

    walk(selectors.category_tree(), 0)
    return choices


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(currency_decimals(currency)).to_integral_value())


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and facets; prices are typed in the currency's major units."""

    search = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Words from the title, description, category or seller."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=LongSelect)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("Products and services")), *ListingKind.choices],
    )
    country = forms.ChoiceField(label=_("Seller's country"), required=False, widget=LongSelect)
    currency = forms.ChoiceField(label=_("Currency"), required=False, widget=LongSelect)
    min_price = forms.DecimalField(
        label=_("Lowest price"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    max_price = forms.DecimalField(
        label=_("Highest price"), required=False, min_value=0, max_digits=18, decimal_places=4
    )
    delivery = forms.MultipleChoiceField(
        label=_("Delivery"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    in_stock = forms.BooleanField(
        label=_("Can be ordered now"), required=False, widget=forms.CheckboxInput(CHECKED)
    )
    verified = forms.BooleanField(
        label=_("Verified sellers only"), required=False, widget=forms.CheckboxInput(CHECKED)
    )
    recuperated = forms.BooleanField(
        label=_("Worker-recuperated sellers only"),
        required=False,
        widget=forms.CheckboxInput(CHECKED),
    )
    ordering = forms.ChoiceField(label=_("Order by"), required=False, choices=ORDERING_LABELS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(
            str(_("Every category"))
        )
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", str(_("Any country"))),
            *country_choices(_locale()),
        ]
        cast(forms.ChoiceField, self.fields["currency"]).choices = _currencies(
            str(_("Any currency"))
        )
        for name in ("in_stock", "verified", "recuperated"):
            self.fields[name].widget.attrs["value"] = "true"

    def filter_data(self) -> dict[str, Any]:
        """What the API's FilterSet receives: the same names, prices in minor units. Call after
        is_valid(); fields that failed are left out (their errors are shown)."""
        data = getattr(self, "cleaned_data", {})
        out: dict[str, Any] = {}
        for name in ("search", "category", "kind", "country", "currency", "ordering"):
            if data.get(name):
                out[name] = data[name]
        for name in ("in_stock", "verified", "recuperated"):
            if data.get(name):
                out[name] = "true"
        if data.get("delivery"):
            out["delivery"] = data["delivery"]
        currency = data.get("currency")
        for name in ("min_price", "max_price"):
            amount = data.get(name)
            if amount is None:
                continue
            if not currency:
                out[name] = "0"  # the FilterSet refuses a price without a currency
                continue
            try:
                out[name] = str(to_minor_units(amount, currency))
            except InvalidOperation:
                self.add_error(name, _("Enter a smaller number."))
        return out

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.base_fields)


class ListingForm(forms.Form):
    """Create or edit a listing; the price is typed in major units of its currency."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ListingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    category = forms.ChoiceField(label=_("Category"))
    sku = forms.CharField(
        label=_("Your reference (SKU)"), required=False, max_length=64, help_text=_("Optional.")
    )
    price = forms.DecimalField(
        label=_("Price per unit"), min_value=Decimal("0.01"), max_digits=18, decimal_places=4
    )
    currency = forms.ChoiceField(label=_("Currency"))
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    min_order_quantity = forms.IntegerField(
        label=_("Minimum order"), min_value=1, max_value=MAX_STOCK, initial=1
    )
    stock = forms.IntegerField(
        label=_("Stock"),
        required=False,
        min_value=0,
        max_value=MAX_STOCK,
        help_text=_("Units available now (capacity for services); empty means made to order."),
    )
    lead_time_days = forms.IntegerField(
        label=_("Lead time in days"), min_value=0, max_value=365, initial=0
    )
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"),
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    regions_served = forms.CharField(
        label=_("Regions served"), required=False, max_length=300, help_text=_("Optional.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(None)
        cast(forms.ChoiceField, self.fields["currency"]).choices = _currencies(None)

    @classmethod
    def initial_for(cls, listing: Any) -> dict[str, Any]:
        decimals = currency_decimals(listing.currency)
        return {
            "kind": listing.kind,
            "title": listing.title,
            "description": listing.description,
            "category": listing.category.slug,
            "sku": listing.sku,
            "price": Decimal(listing.price_amount).scaleb(-decimals),
            "currency": listing.currency,
            "unit": listing.unit,
            "min_order_quantity": listing.min_order_quantity,
            "stock": listing.stock,
            "lead_time_days": listing.lead_time_days,
            "delivery_modes": listing.delivery_modes,
            "regions_served": listing.regions_served,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        price = data.pop("price")
        data["price_amount"] = to_minor_units(price, data["currency"])
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; the images service judges each by its content."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else [data]
        files = [file for file in files if file]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class ListingImageForm(forms.Form):
    images = MultipleFileField(
        label=_("Images"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("JPEG, PNG or WebP; you may choose several at once."),
    )
    alt_text = forms.CharField(
        label=_("Describe the image"),
        required=False,
        max_length=300,
        help_text=_("For people who cannot see it; used for every image of this upload."),
    )


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=_("The columns of the export. Nothing is saved unless every row is right."),
    )


class ListingReportForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
