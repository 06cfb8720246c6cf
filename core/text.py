"""What text people type may hold. One place, used by model fields (so the API's model
serializers, the pages' model forms and the admin inherit it), by services that take text
outside a model form, and by the CSV import.

**One-line fields** (names, titles, cities, references, alt texts...) refuse control characters
(tabs and line breaks included: a newline in a cooperative's name used to end up in e-mail
subjects, where Django refuses it, and the e-mails were silently dropped), Unicode line and
paragraph separators, and the bidirectional overrides and isolates (U+202A–U+202E,
U+2066–U+2069) that make a name display as something else. Decision: refused with a 400 naming
the field rather than stripped, so what is stored is exactly what the person sees in their form;
only surrounding spaces are trimmed, as before. **Multi-line fields** (descriptions, messages)
refuse control characters other than tab and line breaks (NUL above all, which PostgreSQL cannot
store)."""

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_SEPARATORS = frozenset("\u2028\u2029")
MULTI_LINE_ALLOWED = frozenset("\t\n\r")

ONE_LINE_MESSAGE = _(
    "Keep this to one line of plain text: no line breaks, tabs, control characters or "
    "direction overrides."
)
MULTI_LINE_MESSAGE = _("Remove the control characters (such as NUL) from this text.")

# The longest reason or note someone writes with a decision on an order, an invoice or a credit
# line (a cancellation, a refusal, a limit change): the services' check and the API's and the
# pages' fields read this one number.
MAX_REASON_LENGTH = 2000


def one_line_problem(value: str) -> bool:
    return any(
        char in BIDI_CONTROLS or char in LINE_SEPARATORS or unicodedata.category(char) == "Cc"
        for char in value
    )


def multi_line_problem(value: str) -> bool:
    return any(
        unicodedata.category(char) == "Cc" and char not in MULTI_LINE_ALLOWED for char in value
    )


class _TextValidator:
    code = ""
    message: Any = ""

    def problem(self, value: str) -> bool:
        raise NotImplementedError

    def __call__(self, value: object) -> None:
        if isinstance(value, str) and self.problem(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(self.code)


@deconstructible
class OneLineValidator(_TextValidator):
    """Model field validator: the value is one line of plain text."""

    code = "not_one_line"
    message = ONE_LINE_MESSAGE

    def problem(self, value: str) -> bool:
        return one_line_problem(value)


@deconstructible
class MultiLineValidator(_TextValidator):
    """Model field validator: text that may have line breaks, but no other control character."""

    code = "control_characters"
    message = MULTI_LINE_MESSAGE

    def problem(self, value: str) -> bool:
        return multi_line_problem(value)


validate_one_line = OneLineValidator()
validate_multi_line = MultiLineValidator()


def clean_one_line(field: str, value: str) -> str:
    """The value trimmed, or a ValidationError naming `field` (for services whose input does not
    pass through a model form or `full_clean`)."""
    value = (value or "").strip()
    if one_line_problem(value):
        raise ValidationError({field: [ValidationError(ONE_LINE_MESSAGE, code="not_one_line")]})
    return value


def one_line(text: str) -> str:
    """Text made safe for a one-line place we write ourselves (an e-mail subject): every run of
    whitespace and control characters becomes one space."""
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(cleaned.split())
