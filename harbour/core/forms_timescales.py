"""The timescale calculator's form: the key dates of a case, turned into the deadlines input."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.children.selectors import parse_search_date

from .forms import GovukDateField, GovukForm

LIST_HELP = "One date on each line, for example 14/3/2026. Leave empty if there are none"


class DateListField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", LIST_HELP)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[dt.date]:  # type: ignore[override]
        text = super().clean(value) or ""
        days = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            day = parse_search_date(line)
            if day is None:
                raise ValidationError(f"Line {number} of {str(self.label).lower()} must be a real date, like 14/3/2026")
            days.append(day)
        return sorted(days)


class TimescaleForm(GovukForm):
    today = GovukDateField(
        label="Work out the deadlines as at", help_text="Usually today",
        error_messages={
            "required": "Enter the date to work out the deadlines at",
            "incomplete": "The date to work out the deadlines at must include {parts}",
            "invalid": "The date to work out the deadlines at must be a real date",
        },
    )
    date_of_birth = GovukDateField(label="Child's date of birth (optional)", required=False, past_or_today=True)
    nts_referral = GovukDateField(label="NTS referral received (optional)", required=False)
    arrival = GovukDateField(label="Child arrived in the council's care (optional)", required=False)
    looked_after_start = GovukDateField(label="Became looked after (optional)", required=False)
    looked_after_end = GovukDateField(label="Stopped being looked after (optional)", required=False)
    placement_start = GovukDateField(label="Current placement started (optional)", required=False)
    long_term = forms.ChoiceField(
        label="Is the placement planned to last until the child is 18?", required=False,
        choices=[("yes", "Yes, long-term"), ("no", "No")], widget=forms.RadioSelect, initial="no",
    )
    care_plan = GovukDateField(label="Care plan agreed (optional)", required=False)
    reviews = DateListField(label="Reviews held")
    visits = DateListField(label="Visits made")
    health_assessments = DateListField(label="Health assessments")
    peps = DateListField(label="Personal education plans")
    needs_assessments = DateListField(label="Leaving-care needs assessments")

    def __init__(self, *args: Any, initial_today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"today": initial_today})
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("looked_after_end") and not data.get("looked_after_start"):
            self.add_error("looked_after_start", "Enter the date the child became looked after")
        return data

    def as_case_json(self) -> dict[str, Any]:
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return {}
        data = self.cleaned_data

        def iso(value: dt.date | None) -> str | None:
            return value.isoformat() if value else None

        events: list[dict[str, Any]] = []
        if data.get("nts_referral"):
            events.append({"type": "nts_referral", "date": iso(data["nts_referral"])})
        if data.get("arrival"):
            events.append({"type": "arrival", "date": iso(data["arrival"])})
        if data.get("looked_after_start"):
            events.append({"type": "looked_after", "start": iso(data["looked_after_start"]), "end": iso(data.get("looked_after_end"))})
        if data.get("placement_start"):
            events.append({"type": "placement", "start": iso(data["placement_start"]), "end": None,
                           "long_term": data.get("long_term") == "yes"})
        if data.get("care_plan"):
            events.append({"type": "care_plan", "date": iso(data["care_plan"])})
        for field, kind in (("reviews", "review"), ("visits", "visit"), ("health_assessments", "health_assessment"),
                            ("peps", "pep"), ("needs_assessments", "needs_assessment")):
            events.extend({"type": kind, "date": iso(day)} for day in data.get(field) or [])
        child = {"date_of_birth": iso(data.get("date_of_birth"))} if data.get("date_of_birth") else {}
        return {"today": iso(data.get("today")), "child": child, "events": events}
