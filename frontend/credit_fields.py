"""The seller's accepted share of a price in mutual credit, as a form field in percent steps
(docs/credit.md, "Selling and buying for credit"): the profile and the listing forms share it."""

from typing import Any

from babel.numbers import format_percent
from django import forms
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

SHARE_STEPS = (0, 1000, 2000, 2500, 3000, 4000, 5000, 6000, 7000, 7500, 8000, 9000, 10_000)


def share_label(bps: int) -> str:
    return format_percent(bps / 10_000, locale=to_locale(get_language() or "en"))


def credit_share_field(*, inherit: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Share of the price you accept in mutual credit"),
        coerce=int,
        empty_value=None,
        required=inherit,
        help_text=_("Buyers may pay up to this share in credit at checkout; the rest by invoice."),
    )


def set_share_choices(field: Any, current: int | None, inherit_from: int | None = None) -> None:
    """The steps, with the current value if it is not one of them (set through the API); with
    `inherit_from`, a first choice "as the cooperative" (the listing's override left empty)."""
    steps = sorted({*SHARE_STEPS, *([current] if current is not None else [])})
    choices: list[tuple[Any, str]] = [(bps, share_label(bps)) for bps in steps]
    if inherit_from is not None:
        field.required = False
        choices.insert(
            0, ("", str(_("As the cooperative (%(share)s)")) % {"share": share_label(inherit_from)})
        )
    field.choices = choices
