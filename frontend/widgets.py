"""Widgets written for speed where Django's template-per-option rendering is the slow part of a
page: the catalogue's filter form lists every country, currency and category (about 600 options),
which took most of the time the catalogue page was built in."""

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe


class LongSelect(forms.Select):
    """A <select> written directly, with the same markup as Django's (no option groups)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = {str(v) for v in self.format_value(value)}
        parts = [f"<select{flatatt(final_attrs)}>"]
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = " selected" if text in chosen else ""
            parts.append(
                f'<option value="{conditional_escape(text)}"{selected}>'
                f"{conditional_escape(str(label))}</option>"
            )
        parts.append("</select>")
        return mark_safe("\n  ".join(parts))  # noqa: S308  # nosec B308 B703  # all escaped above
