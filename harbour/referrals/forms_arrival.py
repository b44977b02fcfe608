"""Input shapes for the placement and arrival pages. The rules live in referrals.services_arrival."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.core.forms import GovukDateField, GovukForm
from harbour.placements.models import Placement

from .services_arrival import MAX_DESCRIPTION_LENGTH, MAX_PROVIDER_LENGTH

# "9:30", "09:30", "14:05", "9.30am", "2pm", "2:15 pm"
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(am|pm)?$")
_WORDS = {"midday": dt.time(12, 0), "noon": dt.time(12, 0), "midnight": dt.time(0, 0)}


def parse_time_of_day(text: str) -> dt.time | None:
    """A time as people type it: 24-hour "14:05", or "2:05pm", "2pm", "midday"; None if it is not one."""
    value = text.strip().lower().replace(" ", "").replace("a.m.", "am").replace("p.m.", "pm")
    if value in _WORDS:
        return _WORDS[value]
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half is None and match.group(2) is None:
        return None  # "14" alone: say the minutes too
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        return None
    return dt.time(hour, minute)


class TimeOfDayField(forms.CharField):
    """A time of day typed as text (GOV.UK has no time input); cleans to datetime.time."""

    default_error_messages = {
        "required": "Enter the time of arrival",
        "invalid": "Time of arrival must be a real time, like 9:30am or 14:30",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> dt.time | None:
        text = super().clean(value)
        if not text:
            return None
        parsed = parse_time_of_day(text)
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class PlacementConfirmForm(GovukForm):
    description = forms.CharField(
        label="Where will the child live when they arrive?", max_length=MAX_DESCRIPTION_LENGTH,
        help_text="For example Harbourside intake base, or the foster carers' name",
        error_messages={
            "required": "Enter where the child will live, for example Harbourside intake base",
            "max_length": f"Where the child will live must be {MAX_DESCRIPTION_LENGTH} characters or fewer",
        },
    )


class ArrivalForm(GovukForm):
    arrived_on = GovukDateField(
        label="Date of arrival", past_or_today=True, help_text="For example, 27 9 2026",
        error_messages={"required": "Enter the date of arrival"},
    )
    arrived_time = TimeOfDayField(
        label="Time of arrival", help_text="For example, 9:30am or 14:30",
    )
    placement_type = forms.ChoiceField(
        label="Type of first placement", choices=Placement.PlacementType.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the type of first placement"},
    )
    carer_or_provider = forms.CharField(
        label="Carer or provider name", max_length=MAX_PROVIDER_LENGTH,
        help_text="For example Harbourside intake base",
        error_messages={
            "required": "Enter the name of the carer or provider, for example Harbourside intake base",
            "max_length": f"Carer or provider name must be {MAX_PROVIDER_LENGTH} characters or fewer",
        },
    )
    postcode = forms.CharField(
        label="Postcode of the placement", required=False, max_length=10,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        error_messages={"max_length": "Enter a real postcode, like HS1 2AB"},
    )

    def arrived_at(self) -> dt.datetime:
        """The date and time of arrival in the council's time zone (call after is_valid())."""
        moment = dt.datetime.combine(self.cleaned_data["arrived_on"], self.cleaned_data["arrived_time"])
        return timezone.make_aware(moment)

    def apply_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors on the fields they are about; the rest go at the top."""
        time_codes = {"future_time", "before_referral_time"}
        pairs = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.error_list)]
        for field, errors in pairs:
            for item in errors:
                message = next(iter(item))
                if field == "arrived_at":
                    target: str | None = "arrived_time" if item.code in time_codes else "arrived_on"
                elif field in self.fields:
                    target = field
                else:
                    target = None
                self.add_error(target, str(message))
