"""Forms of the catalogue pages. The browsing form has the API's parameter names and is checked by
the API's own FilterSet (marketplace.filters.ListingFilter); listing forms check what a person
typed and hand it to marketplace.services, which enforce the rules."""

from functools import lru_cache
from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cooperatives.models import Cooperative
from core.money import (
    AmountError,
    Money,
    currency_choices_for,
    default_currency,
    is_price_jump,
    parse_amount,
    price_jump_message,
)
from core.reference import country_choices
from frontend.credit_fields import credit_share_field, set_share_choices
from frontend.forms import optional_choice, search_field, with_empty
from frontend.widgets import LongSelect
from marketplace import catalogue_version, selectors
from marketplace.models import MAX_STOCK, DeliveryMode, Listing, ListingKind, Unit, unit_name
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


def _currencies(empty: str | None, country: str = "") -> list[tuple[str, str]]:
    """Every currency; a cooperative's own country's first, then its region's (core.money)."""
    codes = [(code, code) for code in currency_choices_for(country)]
    return [("", empty), *codes] if empty is not None else codes


def amount_input(**attrs: str) -> forms.TextInput:
    """Money is typed as text in the reader's own separators ("1.250,50"), never type=number
    (which drops or misreads a decimal comma); phones still show the number pad."""
    return forms.TextInput(
        attrs={"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false", **attrs}
    )


@lru_cache(maxsize=8)
def _countries(locale: str) -> tuple[tuple[str, str], ...]:
    """The countries by name in a language (sorting them through Babel costs a page ~1 ms)."""
    return tuple(country_choices(locale))


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


def delivery_modes_field(label: Any) -> forms.MultipleChoiceField:
    """Any of the ways a listing reaches the buyer, ticked."""
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and facets; prices are typed in the currency's major units."""

    search = search_field(_("Words from the title, description, category or seller."))
    category = forms.ChoiceField(label=_("Category"), required=False, widget=LongSelect)
    kind = optional_choice(_("Kind"), _("Products and services"), ListingKind.choices)
    country = forms.ChoiceField(label=_("Seller's country"), required=False, widget=LongSelect)
    currency = forms.ChoiceField(label=_("Currency"), required=False, widget=LongSelect)
    min_price = forms.CharField(
        label=_("Lowest price"), required=False, max_length=40, widget=amount_input()
    )
    max_price = forms.CharField(
        label=_("Highest price"), required=False, max_length=40, widget=amount_input()
    )
    delivery = delivery_modes_field(_("Delivery"))
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

    def __init__(
        self, *args: Any, categories: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = (
            categories if categories is not None else category_choices(str(_("Every category")))
        )
        cast(forms.ChoiceField, self.fields["country"]).choices = with_empty(
            str(_("Any country")), _countries(_locale())
        )
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
            typed = data.get(name)
            if not typed:
                continue
            if not currency:
                out[name] = "0"  # the FilterSet refuses a price without a currency
                continue
            try:
                out[name] = str(parse_amount(typed, currency, _locale()).amount)
            except AmountError as error:
                self.add_error(name, str(error))
        return out

    def is_filtered(self) -> bool:
        return self.is_filtering(self.data)

    @classmethod
    def is_filtering(cls, data: Any) -> bool:
        """Whether a query sets any filter (a page number alone does not)."""
        return any(data.get(name) for name in cls.base_fields)

    @classmethod
    def unfiltered_fields(cls) -> tuple[SafeString, SafeString]:
        """The fields of the form with no filter set, as `frontend/includes/filter_fields.html`
        writes them, in two parts: before and after the result count in the filters' summary.
        The same for every reader in a language while the categories stay the same, so they are
        written once per language and category tree (this process's memory), not per page."""
        language = get_language() or ""
        version = catalogue_version.READ_BY_REQUEST.get()
        if version is not None and settings.CATALOGUE_RESPONSE_CACHE_SECONDS:
            # The request read the catalogue's version before its data, and a category saved,
            # moved or deleted bumps it: the tree need not be read again while it stands
            # (with the response cache off, the version is not relied on: read the tree).
            categories = _categories_at(version.number, language)
        else:
            categories = tuple(category_choices(str(_("Every category"))))
        return _unfiltered_fields(language, categories)


@lru_cache(maxsize=8)
def _categories_at(_version: int, _language: str) -> tuple[tuple[str, str], ...]:
    """The category choices of the filter form at a catalogue version, in a language."""
    return tuple(category_choices(str(_("Every category"))))


class _CountMark:
    """Stands for the result count while the unfiltered fields are written (a template object
    for `{% include %}`)."""

    MARK = "\x00filter-count\x00"

    def render(self, _context: Any) -> str:
        return self.MARK


@lru_cache(maxsize=16)
def _unfiltered_fields(
    _language: str, categories: tuple[tuple[str, str], ...]
) -> tuple[SafeString, SafeString]:
    form = CatalogueFilterForm(categories=list(categories))
    html = render_to_string(
        "frontend/includes/filter_fields.html", {"form": form, "count_template": _CountMark()}
    )
    before, after = html.split(_CountMark.MARK)
    return mark_safe(before), mark_safe(after)  # noqa: S308  # nosec B308 B703 (our template wrote it, autoescaped)


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
    price = forms.CharField(
        label=_("Price per unit"),
        max_length=40,
        widget=amount_input(),
    )
    currency = forms.ChoiceField(label=_("Currency"))
    confirm_price_change = forms.BooleanField(
        label=_("Yes, this is the new price"), required=False, widget=forms.HiddenInput
    )
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
    delivery_modes = delivery_modes_field(_("Delivery modes"))
    regions_served = forms.CharField(
        label=_("Regions served"), required=False, max_length=300, help_text=_("Optional.")
    )
    credit_share_bps = credit_share_field(inherit=True)

    def __init__(
        self, *args: Any, cooperative: Cooperative, listing: Listing | None = None, **kwargs: Any
    ) -> None:
        if listing is None:
            kwargs.setdefault("initial", {"currency": default_currency(cooperative.country)})
        super().__init__(*args, **kwargs)
        self.listing = listing
        set_share_choices(
            self.fields["credit_share_bps"],
            self.initial.get("credit_share_bps"),
            inherit_from=cooperative.credit_share_bps,
        )
        cast(forms.ChoiceField, self.fields["category"]).choices = category_choices(None)
        cast(forms.ChoiceField, self.fields["currency"]).choices = _currencies(
            None, cooperative.country
        )
        price = self.fields["price"].widget
        price.attrs.update(
            {
                "hx-get": reverse("frontend:price-preview"),
                "hx-trigger": "input changed delay:300ms",
                "hx-include": "closest form",
                "hx-target": "#price-preview",
                "aria-describedby": "price-preview",
            }
        )
        now = (
            _("Now %(price)s per %(unit)s.")
            % {"price": listing.price.format(), "unit": unit_name(listing.unit)}
            if listing is not None
            else ""
        )
        example = Money(125_050, "EUR").format_input()
        self.fields["price"].help_text = format_html(
            '{} <output id="price-preview" aria-live="polite">{}</output>',
            _("Write it as you write numbers, e.g. %(example)s.") % {"example": example},
            now,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed, currency = data.get("price"), data.get("currency")
        if not typed or not currency:
            return data
        try:
            price = parse_amount(typed, currency, _locale())
        except AmountError as error:
            self.add_error("price", str(error))
            return data
        if price.amount <= 0:
            self.add_error("price", _("The price must be more than zero."))
            return data
        data["price_amount"] = price.amount
        old = self.listing.price if self.listing is not None else None
        if old and is_price_jump(old, price) and not data.get("confirm_price_change"):
            self.fields["confirm_price_change"].widget = forms.CheckboxInput()
            self.add_error("confirm_price_change", price_jump_message(old, price))
        return data

    @classmethod
    def initial_for(cls, listing: Any) -> dict[str, Any]:
        return {
            "kind": listing.kind,
            "title": listing.title,
            "description": listing.description,
            "category": listing.category.slug,
            "sku": listing.sku,
            "price": listing.price.format_input(),
            "currency": listing.currency,
            "unit": listing.unit,
            "min_order_quantity": listing.min_order_quantity,
            "stock": listing.stock,
            "lead_time_days": listing.lead_time_days,
            "delivery_modes": listing.delivery_modes,
            "regions_served": listing.regions_served,
            "credit_share_bps": listing.credit_share_bps,
        }

    def fields_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("price")
        data.pop("confirm_price_change", None)
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
