"""Forms of the cart, checkout, order and report pages. They check what a person typed; the
orders services enforce the rules."""

from typing import Any, cast

from django import forms
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from core.money import AmountError, Money, parse_amount
from core.text import MAX_REASON_LENGTH
from frontend.forms import note_field, optional_choice
from orders.models import MAX_QUANTITY
from orders.payments.rails import RAILS
from orders.selectors import CreditOffer
from orders.services.orders import MAX_MESSAGE_LENGTH
from orders.state import OrderStatus, Side


class CartAddForm(forms.Form):
    """What the catalogue's add-to-cart partial sends: which of my cooperatives buys, what, how many."""

    cooperative = forms.SlugField(label=_("Buying for"), max_length=80)
    listing = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)


class CartQuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)


# The page's choice for a card checkout of only the sellers that take cards (the service's
# `only_card_payable`): offered when the cart mixes sellers that do and sellers that do not.
# Each rail's own choice reads its `choice_help`.
CARD_PAYABLE_ONLY = "stripe_payable"
PAYMENT_LABELS: dict[str, Any] = {
    CARD_PAYABLE_ONLY: _(
        "Card for the sellers that take cards, now; the other sellers' lines stay in the cart "
        "for an invoice checkout"
    ),
}


class CheckoutForm(forms.Form):
    """The page adds `checkout_key`, a new random value per rendered form that the checkout uses
    as its Idempotency-Key: sending the same form twice orders once."""

    currency = forms.ChoiceField(label=_("Currency"))
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
        help_text=_("Where the sellers deliver; leave it empty for pickup or remote services."),
    )
    note = note_field(_("Note for the sellers"))
    payment_method = forms.ChoiceField(label=_("How you pay"), widget=forms.RadioSelect)

    def __init__(
        self,
        *args: Any,
        currencies: list[str],
        methods: list[str],
        credit_offers: list[CreditOffer] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.credit_offers = list(credit_offers)
        for offer in self.credit_offers:
            words = {
                "seller": offer.seller.name,
                "most": Money(offer.most, offer.currency).format(),
                "available": Money(offer.available, offer.currency).format(),
            }
            self.fields[f"credit_{offer.seller.slug}"] = forms.CharField(
                label=_("Paid in mutual credit to %(seller)s") % words,
                required=False,
                max_length=40,
                help_text=_(
                    "Up to %(most)s: the share %(seller)s accepts in credit. Your available "
                    "credit: %(available)s. The rest of its order is paid by invoice."
                )
                % words,
            )
        cast(forms.ChoiceField, self.fields["currency"]).choices = [(c, c) for c in currencies]
        if len(currencies) == 1:
            self.fields["currency"].widget = forms.HiddenInput()
            self.fields["currency"].initial = currencies[0]
        else:
            self.fields["currency"].help_text = _(
                "One checkout holds one currency; the other lines stay in the cart."
            )
        cast(forms.ChoiceField, self.fields["payment_method"]).choices = [
            (method, RAILS[method].choice_help if method in RAILS else PAYMENT_LABELS[method])
            for method in methods
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        credit: dict[str, int] = {}
        for offer in self.credit_offers:
            name = f"credit_{offer.seller.slug}"
            typed = (data.get(name) or "").strip()
            if not typed:
                continue
            try:
                amount = parse_amount(typed, offer.currency, to_locale(get_language() or "en"))
            except AmountError as error:
                self.add_error(name, str(error))
                continue
            if amount.amount < 0:
                self.add_error(name, _("Zero or more."))
            elif amount.amount:
                credit[offer.seller.slug] = amount.amount
        data["credit"] = credit
        return data


class OrderActionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON_LENGTH, required=False)


class MarkPaidForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=MAX_REASON_LENGTH, required=False)


class RefundPaidOutsideForm(forms.Form):
    reason = forms.CharField(
        label=_("How the buyer was paid"),
        max_length=MAX_REASON_LENGTH,
        help_text=_("For example: bank transfer to the cooperative's account."),
    )
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=200,
        help_text=_("The bank transfer's reference, or a receipt's number."),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both cooperatives' members read the thread and get an e-mail."),
    )


ROLE_CHOICES = [
    ("", _("Buying and selling")),
    (Side.BUYER, _("As buyer")),
    (Side.SELLER, _("As seller")),
]


class OrderFilterForm(forms.Form):
    """The order list's filters; the same names as the API's query parameters."""

    cooperative = forms.ChoiceField(label=_("Cooperative"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=ROLE_CHOICES)
    status = optional_choice(_("Status"), _("Any status"), OrderStatus.choices)

    def __init__(self, *args: Any, cooperatives: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["cooperative"]).choices = cooperatives
        if len(cooperatives) <= 1:
            self.fields["cooperative"].widget = forms.HiddenInput()
