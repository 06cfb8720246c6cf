"""The checks a cooperative's payout details pass: bank and instant-payment identifiers per
country, with their check digits. One module, used by the API serializer, the Payments page's form
and the service alike (the service is the one that must hold; the others show errors early).

Each `clean_*` takes what a person typed and returns it normalised (spaces and separators gone,
letters in the usual case), or raises a `ValidationError` whose message says what is wrong in the
reader's language. `validate_payout_details` judges a whole set of details for a country and
raises one `ValidationError` with a message per field.
"""

import re
import uuid
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SEPARATORS = re.compile(r"[\s.\-/]")

# BCRA (Argentina): a CBU or CVU is two blocks, each ending in its check digit. The first block
# (bank and branch, 7 digits) is weighed 7,1,3,9,7,1,3; the second (account, 13 digits)
# 3,9,7,1,3,9,7,1,3,9,7,1,3; the check digit is (10 - sum mod 10) mod 10.
CBU_FIRST_WEIGHTS = (7, 1, 3, 9, 7, 1, 3)
CBU_SECOND_WEIGHTS = (3, 9, 7, 1, 3, 9, 7, 1, 3, 9, 7, 1, 3)
ALIAS_PATTERN = re.compile(r"[A-Za-z0-9.\-]{6,20}")


class PixKeyType:
    """The five kinds of PIX key the Banco Central do Brasil defines."""

    CPF = "cpf"
    CNPJ = "cnpj"
    EMAIL = "email"
    PHONE = "phone"
    RANDOM = "random"

    choices = [
        (CPF, gettext_lazy("CPF")),
        (CNPJ, gettext_lazy("CNPJ")),
        (EMAIL, gettext_lazy("E-mail")),
        (PHONE, gettext_lazy("Mobile phone (+55)")),
        (RANDOM, gettext_lazy("Random key (EVP)")),
    ]
    values = [value for value, _label in choices]


# IBAN lengths of the countries Minga's members bank in most (SWIFT's IBAN registry); other
# countries' IBANs are checked for their general shape (15 to 34 characters) and checksum.
IBAN_LENGTHS = {
    "AD": 24, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18,
    "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22,
    "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "BR": 29, "CR": 22, "DO": 28, "GT": 28, "SV": 28,
}  # fmt: skip
IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
BIC_SHAPE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")
# Countries whose banks use IBANs, so the details of a cooperative there are an IBAN.
IBAN_COUNTRIES = frozenset(IBAN_LENGTHS) - {"BR"}


def _compact(value: str) -> str:
    return SEPARATORS.sub("", value or "")


def _shaped(value: str, shape: re.Pattern[str], message: Any, code: str) -> str:
    """The value without separators, in capitals, when it has the shape; a refusal otherwise."""
    compact = _compact(value).upper()
    if not shape.fullmatch(compact):
        raise ValidationError(message, code=code)
    return compact


def _weighted_check_digit(digits: str, weights: tuple[int, ...]) -> int:
    total = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True))
    return (10 - total % 10) % 10


def clean_cbu(value: str) -> str:
    """A CBU or CVU: 22 digits whose two check digits (positions 8 and 22) are right."""
    number = _compact(value)
    if not number.isdigit() or len(number) != 22:
        raise ValidationError(
            _("A CBU or CVU has 22 digits; this one has %(count)s characters.")
            % {"count": len(number)},
            code="cbu_length",
        )
    if _weighted_check_digit(number[:7], CBU_FIRST_WEIGHTS) != int(number[7]):
        raise ValidationError(
            _("The check digit of the first block (digit 8) is wrong: check the CBU or CVU."),
            code="cbu_check_digit",
        )
    if _weighted_check_digit(number[8:21], CBU_SECOND_WEIGHTS) != int(number[21]):
        raise ValidationError(
            _("The check digit of the second block (digit 22) is wrong: check the CBU or CVU."),
            code="cbu_check_digit",
        )
    return number


def is_cvu(number: str) -> bool:
    """A CVU (a virtual wallet's account) starts with 000 where a CBU has its bank's code."""
    return number.startswith("000")


def clean_alias(value: str) -> str:
    alias = (value or "").strip()
    if not ALIAS_PATTERN.fullmatch(alias):
        raise ValidationError(
            _("An alias has 6 to 20 characters: letters, digits, dots and hyphens."),
            code="alias_invalid",
        )
    return alias.upper()


def _mod11_digit(digits: str, weights: list[int]) -> int:
    """CPF and CNPJ: 11 minus the weighted sum mod 11, or 0 when that is 10 or 11."""
    total = sum((ord(char) - 48) * weight for char, weight in zip(digits, weights, strict=True))
    remainder = total % 11
    return 0 if remainder < 2 else 11 - remainder


def clean_cpf(value: str) -> str:
    """A Brazilian person's CPF: 11 digits, the last two check digits."""
    number = _compact(value)
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(_("A CPF has 11 digits."), code="cpf_length")
    first = _mod11_digit(number[:9], list(range(10, 1, -1)))
    second = _mod11_digit(number[:10], list(range(11, 1, -1)))
    if len(set(number)) == 1 or number[9:] != f"{first}{second}":
        raise ValidationError(
            _("The check digits of this CPF are wrong: check the number."), code="cpf_check_digit"
        )
    return number


CNPJ_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
CNPJ_SHAPE = re.compile(r"[0-9A-Z]{12}[0-9]{2}")


def clean_cnpj(value: str) -> str:
    """A Brazilian organisation's CNPJ: 14 characters, the last two check digits. The first 12 may
    hold capital letters (the alphanumeric CNPJ issued from July 2026), valued as their ASCII code
    minus 48, as the Receita Federal defines."""
    number = _shaped(value, CNPJ_SHAPE, _("A CNPJ has 14 characters."), "cnpj_length")
    first = _mod11_digit(number[:12], CNPJ_WEIGHTS)
    second = _mod11_digit(number[:13], [6, *CNPJ_WEIGHTS])
    if len(set(number)) == 1 or number[12:] != f"{first}{second}":
        raise ValidationError(
            _("The check digits of this CNPJ are wrong: check the number."),
            code="cnpj_check_digit",
        )
    return number


def clean_brazilian_phone(value: str) -> str:
    """A mobile number as a PIX key: +55, the two-digit area code, 8 or 9 digits (E.164)."""
    raw = re.sub(r"[\s()\-.]", "", value or "")
    if raw.isdigit() and len(raw) in (10, 11):  # typed without the country code
        raw = "+55" + raw
    elif raw.isdigit() and raw.startswith("55") and len(raw) in (12, 13):
        raw = "+" + raw
    if not re.fullmatch(r"\+55[1-9][0-9][0-9]{8,9}", raw):
        raise ValidationError(
            _("Write the phone number as +55, the area code and the number (e.g. +5511912345678)."),
            code="phone_invalid",
        )
    return raw


def clean_evp(value: str) -> str:
    """A random PIX key: a UUID (36 characters with hyphens)."""
    try:
        return str(uuid.UUID((value or "").strip()))
    except ValueError as exc:
        raise ValidationError(
            _(
                "A random key is the 36-character code your bank gave you "
                "(e.g. 123e4567-e89b-12d3-a456-426614174000)."
            ),
            code="evp_invalid",
        ) from exc


def clean_pix_email(value: str) -> str:
    email = (value or "").strip().lower()
    if len(email) > 77:
        raise ValidationError(_("An e-mail PIX key has at most 77 characters."), code="email_long")
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid e-mail address."), code="email_invalid") from exc
    return email


PIX_CLEANERS = {
    PixKeyType.CPF: clean_cpf,
    PixKeyType.CNPJ: clean_cnpj,
    PixKeyType.EMAIL: clean_pix_email,
    PixKeyType.PHONE: clean_brazilian_phone,
    PixKeyType.RANDOM: clean_evp,
}


def clean_pix_key(key_type: str, value: str) -> str:
    """A PIX key of its type."""
    cleaner = PIX_CLEANERS.get(key_type)
    if cleaner is None:
        raise ValidationError(_("Choose the type of PIX key."), code="pix_type")
    return cleaner(value)


def _iban_number(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged))


def clean_iban(value: str) -> str:
    """An IBAN: country, two check digits, the account; the ISO 13616 mod-97 checksum holds."""
    iban = _shaped(
        value,
        IBAN_SHAPE,
        _("An IBAN starts with the country code and two digits (e.g. ES91 2100 ...)."),
        "iban_shape",
    )
    expected = IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        raise ValidationError(
            _("An IBAN of %(country)s has %(expected)s characters; this one has %(count)s.")
            % {"country": iban[:2], "expected": expected, "count": len(iban)},
            code="iban_length",
        )
    if _iban_number(iban) % 97 != 1:
        raise ValidationError(
            _("The check digits of this IBAN are wrong: check the number."),
            code="iban_checksum",
        )
    return iban


def format_iban(iban: str) -> str:
    """In groups of four, as printed on statements."""
    return " ".join(iban[index : index + 4] for index in range(0, len(iban), 4))


def clean_bic(value: str) -> str:
    return _shaped(
        value,
        BIC_SHAPE,
        _("A BIC (SWIFT code) has 8 or 11 letters and digits (e.g. CAIXESBBXXX)."),
        "bic_invalid",
    )


# The fields of a set of payout details, and which of them each kind of country asks for.
TEXT_LIMITS = {
    "account_holder": 200,
    "holder_tax_id": 40,
    "bank_name": 120,
    "bank_code": 20,
    "branch": 20,
    "account_number": 40,
    "notes": 500,
}
HOLDER = ("account_holder", "holder_tax_id")
BANK_ACCOUNT = ("bank_name", "bank_code", "branch", "account_number")
FIELDS = (*HOLDER, "cbu", "alias", "pix_key_type", "pix_key", *BANK_ACCOUNT, "iban", "bic", "notes")


def scheme_for(country: str) -> str:
    """Which details a cooperative of this country gives: `ar` (CBU/CVU, alias), `br` (PIX key,
    optional bank account), `iban` (IBAN and BIC), or `account` (bank and account number:
    Uruguay and every other country)."""
    country = (country or "").upper()
    if country == "AR":
        return "ar"
    if country == "BR":
        return "br"
    if country in IBAN_COUNTRIES:
        return "iban"
    return "account"


def validate_payout_details(country: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The details cleaned for a cooperative of `country`, or one ValidationError with a message
    per field. Fields that do not belong to the country's scheme are emptied."""
    scheme = scheme_for(country)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {}

    def take(field: str, cleaner: Any = None, *args: Any) -> str:
        value = str(data.get(field) or "").strip()
        if value and cleaner is not None:
            try:
                value = cleaner(*args, value)
            except ValidationError as exc:
                errors.setdefault(field, []).extend(exc.messages)
                return ""
        limit = TEXT_LIMITS.get(field)
        if limit is not None and len(value) > limit:
            errors.setdefault(field, []).append(
                _("At most %(limit)s characters.") % {"limit": limit}
            )
        cleaned[field] = value
        return value

    def require(field: str, message: str) -> None:
        if not cleaned.get(field) and field not in errors:
            errors[field] = [message]

    for field in ("account_holder", "holder_tax_id", "notes"):
        take(field)
    require("account_holder", _("Write the name the account is held in."))

    if scheme == "ar":
        cbu = take("cbu", clean_cbu)
        alias = take("alias", clean_alias)
        if not cbu and not alias and "cbu" not in errors and "alias" not in errors:
            errors["cbu"] = [_("Give the CBU or CVU, or an alias, where buyers transfer to.")]
    elif scheme == "br":
        key_type = str(data.get("pix_key_type") or "")
        if key_type and key_type not in PixKeyType.values:
            errors["pix_key_type"] = [_("Choose the type of PIX key.")]
            key_type = ""
        cleaned["pix_key_type"] = key_type
        if key_type:
            take("pix_key", clean_pix_key, key_type)
            require("pix_key", _("Write the PIX key."))
        elif data.get("pix_key"):
            errors["pix_key_type"] = [_("Choose the type of PIX key.")]
        for field in ("bank_name", "bank_code", "branch", "account_number"):
            take(field)
        if not key_type and not cleaned.get("account_number") and "pix_key_type" not in errors:
            errors["pix_key"] = [_("Give a PIX key, or the bank account, where buyers pay.")]
        if cleaned.get("account_number") or cleaned.get("branch"):
            require("branch", _("Write the agency (branch) number."))
            require("account_number", _("Write the account number."))
    elif scheme == "iban":
        take("iban", clean_iban)
        take("bic", clean_bic)
        take("bank_name")
        require("iban", _("Write the IBAN of the account."))
    else:
        take("bank_name")
        take("account_number")
        take("branch")
        take("iban", clean_iban)
        take("bic", clean_bic)
        if not cleaned.get("iban") and "iban" not in errors:
            require("bank_name", _("Write the name of the bank."))
            require("account_number", _("Write the account number."))

    if errors:
        raise ValidationError(errors)
    return {field: cleaned.get(field, "") for field in FIELDS}


FIELD_LABELS = {
    "account_holder": gettext_lazy("Account holder"),
    "holder_tax_id": gettext_lazy("Holder's tax id (CUIT, CPF/CNPJ, RUT, NIF…)"),
    "cbu": gettext_lazy("CBU or CVU"),
    "alias": gettext_lazy("Alias"),
    "pix_key_type": gettext_lazy("Type of PIX key"),
    "pix_key": gettext_lazy("PIX key"),
    "bank_name": gettext_lazy("Bank"),
    "bank_code": gettext_lazy("Bank code"),
    "branch": gettext_lazy("Agency (branch)"),
    "account_number": gettext_lazy("Account number"),
    "iban": gettext_lazy("IBAN"),
    "bic": gettext_lazy("BIC (SWIFT)"),
    "notes": gettext_lazy("Notes for the buyer"),
}


def display_rows(details: Any) -> list[tuple[str, str]]:
    """What a buyer reads to pay: (label, value) pairs in the reader's language, the empty ones
    left out. `details` is a `PayoutDetails` (or anything with its fields)."""
    rows: list[tuple[str, str]] = []

    def add(label: Any, value: str) -> None:
        if value:
            rows.append((str(label), value))

    add(FIELD_LABELS["account_holder"], details.account_holder)
    add(_("Tax id"), details.holder_tax_id)
    if details.cbu:
        add(_("CVU") if is_cvu(details.cbu) else _("CBU"), details.cbu)
    add(FIELD_LABELS["alias"], details.alias)
    if details.pix_key:
        kind = dict(PixKeyType.choices).get(details.pix_key_type, "")
        add(_("PIX key (%(kind)s)") % {"kind": kind}, details.pix_key)
    bank = details.bank_name
    if bank and details.bank_code:
        bank = f"{bank} ({details.bank_code})"
    add(FIELD_LABELS["bank_name"], bank or details.bank_code)
    add(FIELD_LABELS["branch"], details.branch)
    add(FIELD_LABELS["account_number"], details.account_number)
    add(FIELD_LABELS["iban"], format_iban(details.iban) if details.iban else "")
    add(FIELD_LABELS["bic"], details.bic)
    add(_("Notes"), details.notes)
    return rows


SCHEME_FIELDS = {
    "ar": (*HOLDER, "cbu", "alias", "notes"),
    "br": (*HOLDER, "pix_key_type", "pix_key", *BANK_ACCOUNT, "notes"),
    "iban": (*HOLDER, "iban", "bic", "bank_name", "notes"),
    "account": (*HOLDER, "bank_name", "branch", "account_number", "iban", "bic", "notes"),
}
