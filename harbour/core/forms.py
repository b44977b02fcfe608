"""GOV.UK Design System pieces for Django forms.

Rendering happens in Jinja2 (``harbour/core/jinja2/macros/forms.html``):
``field(form.x)`` picks the GOV.UK component from the widget and
``error_summary(form)`` renders the error summary. This module provides:

* ``GovukDateInput`` / ``GovukDateField``: the GOV.UK date input (day, month,
  year) with GOV.UK error messages built from the field label.
* ``GovukForm`` / ``GovukModelForm`` / ``GovukFormMixin``: ``error_list()``
  returns ``[(anchor_id, message)]`` for the error summary.

Date field error messages (``{label}`` is the label with its first letter
lower-cased, ``{Label}`` the label as written):

=============================  ==============================================
Situation                      Message
=============================  ==============================================
all parts blank, required      Enter {label}
one or two parts blank         {Label} must include a day / a month / a year /
                               a day and month / a day and year /
                               a month and year
not a real date (31/2, 13th    {Label} must be a real date
month, letters in a number)
year not 4 digits              Year must include 4 numbers
in the future (past_or_today)  {Label} must be today or in the past
=============================  ==============================================

The error summary links to the first wrong part (``<id>-day``,
``<id>-month`` or ``<id>-year``); when the whole date is wrong (blank, in the
future) it links to ``<id>-day``. Only the wrong parts get the red border.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

__all__ = [
    "DATE_PARTS",
    "GovukDateBoundField",
    "GovukDateField",
    "GovukDateInput",
    "GovukForm",
    "GovukFormMixin",
    "GovukModelForm",
    "error_list",
    "parse_month",
]

DATE_PARTS = ("day", "month", "year")

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
# Accept full names, 3-letter abbreviations and "sept".
_MONTH_NAMES = {**_MONTHS, **{name[:3]: n for name, n in _MONTHS.items()}, "sept": 9}


def parse_month(text: str) -> int | None:
    """Return 1–12 for "3", "03", "mar", "March", "Sept." (any case); else None."""
    value = text.strip().lower().rstrip(".")
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTH_NAMES.get(value)


def _lower_first(label: str) -> str:
    """'Date of birth' -> 'date of birth'; leaves 'NTS referral date' alone."""
    if not label:
        return label
    first_word = label.split()[0]
    if len(first_word) > 1 and first_word.isupper():
        return label
    return label[0].lower() + label[1:]


def _upper_first(label: str) -> str:
    return label[:1].upper() + label[1:]


def _join_parts(parts: Sequence[str]) -> str:
    # GOV.UK wording: "a day", "a day and month", "a month and year".
    return "a " + " and ".join(parts)


class GovukDateInput(forms.MultiWidget):
    """Three text inputs named ``<name>-day``, ``<name>-month``, ``<name>-year``.

    The ids are ``<id>-day`` etc., matching what ``govukDateInput`` renders,
    so ``id_for_label`` (and the error summary) point at the day input.
    """

    govuk_kind = "date"  # read by macros/forms.html to pick govukDateInput
    use_fieldset = True

    def __init__(self, attrs=None, *, autocomplete_bday: bool = False):
        self.autocomplete_bday = autocomplete_bday
        widgets = {}
        for part in DATE_PARTS:
            part_attrs = {"inputmode": "numeric"}
            if autocomplete_bday:
                part_attrs["autocomplete"] = f"bday-{part}"
            widgets[part] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)
        # Django would name them "<name>_day"; GOV.UK uses "<name>-day".
        self.widgets_names = [f"-{part}" for part in DATE_PARTS]

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, (list, tuple)) and len(value) == 3:
            return list(value)
        return [None, None, None]

    def id_for_label(self, id_):
        return f"{id_}-day" if id_ else id_

    def get_context(self, name, value, attrs):
        # Only used if someone renders the widget with Django templates;
        # make the sub-widget ids match the GOV.UK ones.
        context = super().get_context(name, value, attrs)
        base_id = (attrs or {}).get("id") or self.attrs.get("id")
        if base_id:
            for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
                subwidget["attrs"]["id"] = f"{base_id}-{part}"
        return context


class GovukDateBoundField(forms.BoundField):
    """BoundField with what ``govukDateInput`` needs."""

    @property
    def date_parts(self) -> dict[str, str]:
        """The day/month/year strings to show (typed values after a failed submit)."""
        value = self.value()
        if isinstance(value, datetime.date):
            values = [str(value.day), str(value.month), str(value.year)]
        elif isinstance(value, (list, tuple)) and len(value) == 3:
            values = ["" if v is None else str(v) for v in value]
        else:
            values = ["", "", ""]
        return dict(zip(DATE_PARTS, values, strict=True))

    @property
    def error_parts(self) -> list[str]:
        """The parts to highlight, e.g. ["month"]; [] when there is no error."""
        errors = self.errors.as_data() if self.errors else []
        if not errors:
            return []
        params = getattr(errors[0], "params", None) or {}
        parts = params.get("parts")
        return list(parts) if parts else list(DATE_PARTS)

    @property
    def error_anchor_id(self) -> str:
        """The id the error summary links to: the first wrong part."""
        parts = self.error_parts or ["day"]
        return f"{self.auto_id or self.html_name}-{parts[0]}"

    @property
    def govuk_items(self) -> list[dict]:
        """``items`` for govukDateInput: values, widths, error classes, autocomplete."""
        values = self.date_parts
        wrong = set(self.error_parts)
        autocomplete_bday = getattr(self.field.widget, "autocomplete_bday", False)
        items = []
        for part in DATE_PARTS:
            classes = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            if part in wrong:
                classes += " govuk-input--error"
            item = {"name": part, "classes": classes, "value": values[part]}
            if autocomplete_bday:
                item["autocomplete"] = f"bday-{part}"
            items.append(item)
        return items


class GovukDateField(forms.Field):
    """A date typed into the GOV.UK date input; ``clean()`` returns ``datetime.date``.

    ``GovukDateField(label="Date of birth", past_or_today=True, autocomplete_bday=True)``

    * ``past_or_today``: reject dates after ``today()``.
    * ``today``: callable returning the current date (default
      ``django.utils.timezone.localdate``); inject one in tests.
    * ``autocomplete_bday``: ``bday-day``/``bday-month``/``bday-year`` autocomplete,
      only for the user's *own* date of birth (WCAG 1.3.5).

    Override any message with ``error_messages={code: "..."}``; codes are
    ``required``, ``incomplete``, ``invalid``, ``invalid_year``, ``future``.
    ``{label}``/``{Label}`` and ``{parts}`` are substituted.
    """

    widget = GovukDateInput
    bound_field_class = GovukDateBoundField
    default_error_messages = {
        "required": "Enter {label}",
        "incomplete": "{Label} must include {parts}",
        "invalid": "{Label} must be a real date",
        "invalid_year": "Year must include 4 numbers",
        "future": "{Label} must be today or in the past",
    }

    def __init__(
        self,
        *,
        past_or_today: bool = False,
        today: Callable[[], datetime.date] | None = None,
        autocomplete_bday: bool = False,
        **kwargs,
    ):
        self.past_or_today = past_or_today
        self.today = today or timezone.localdate
        self.autocomplete_bday = autocomplete_bday
        kwargs.setdefault("widget", GovukDateInput(autocomplete_bday=autocomplete_bday))
        super().__init__(**kwargs)

    # Django calls this with the widget's [day, month, year] list.
    def _message(self, code: str, parts: Sequence[str] = DATE_PARTS, **extra) -> ValidationError:
        # "(optional)" belongs on the label, never in an error message.
        label = str(self.label or "date").removesuffix(" (optional)")
        template = str(self.error_messages[code])
        message = template.format(
            label=_lower_first(label),
            Label=_upper_first(label),
            parts=_join_parts(extra.get("missing", ())),
        )
        return ValidationError(message, code=code, params={"parts": tuple(parts)})

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        if not isinstance(value, (list, tuple)) or len(value) != 3:
            raise self._message("invalid")

        day_text, month_text, year_text = (("" if v is None else str(v)).strip() for v in value)
        texts = {"day": day_text, "month": month_text, "year": year_text}
        missing = [part for part in DATE_PARTS if not texts[part]]
        if len(missing) == 3:
            return None
        if missing:
            raise self._message("incomplete", parts=missing, missing=missing)

        day = int(day_text) if day_text.isdigit() else None
        month = parse_month(month_text)
        year = int(year_text) if year_text.isdigit() else None
        wrong = [
            part
            for part, number in (("day", day), ("month", month), ("year", year))
            if number is None
        ]
        if wrong:
            raise self._message("invalid", parts=wrong)
        if len(year_text) != 4:
            raise self._message("invalid_year", parts=["year"])
        if not 1 <= day <= 31:
            raise self._message("invalid", parts=["day"])
        try:
            return datetime.date(year, month, day)
        except ValueError:
            # e.g. 31 February: the day is what does not fit the month.
            raise self._message("invalid", parts=["day"]) from None

    def validate(self, value):
        if value is None:
            if self.required:
                raise self._message("required")
            return
        if self.past_or_today and value > self.today():
            raise self._message("future")

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        self.run_validators(value)
        return value

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            data_value = self.to_python(data)
        except ValidationError:
            return True
        initial_value = self.to_python(initial) if initial not in (None, "") else None
        return initial_value != data_value

    def widget_attrs(self, widget):
        return {}


def _anchor_id(bound_field) -> str:
    anchor = getattr(bound_field, "error_anchor_id", None)
    if anchor:
        return anchor
    return bound_field.auto_id or bound_field.html_name


def error_list(form) -> list[tuple[str | None, str]]:
    """``[(anchor_id or None, message)]`` for the GOV.UK error summary.

    Non-field errors (and errors on hidden fields) come first with ``None``
    (listed without a link); then one entry per field, in field order, with
    the field's first error. Radios and checkboxes link to the first option
    (its id is the field id); date fields link to the first wrong part.
    """
    if not form.is_bound or not form.errors:
        return []
    items: list[tuple[str | None, str]] = [(None, str(e)) for e in form.non_field_errors()]
    for bound_field in form.hidden_fields():
        items.extend((None, str(e)) for e in bound_field.errors)
    for bound_field in form.visible_fields():
        if bound_field.errors:
            items.append((_anchor_id(bound_field), str(bound_field.errors[0])))
    return items


class GovukFormMixin:
    """Adds ``error_list()`` for ``error_summary(form)``; usable on any Django form."""

    def error_list(self) -> list[tuple[str | None, str]]:
        return error_list(self)


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class DateRangeForm(GovukForm):
    """A form with `start` and `end` dates: an end before the start is put on the end field."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "End date must be the same as or after the start date")
        return data
