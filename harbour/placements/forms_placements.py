"""Forms for starting, changing and ending a placement, and for the child's needs profile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from harbour.core.forms import GovukDateField, GovukForm

from .codes import Need, PlacementProviderCode, PlacementType, ReasonPlacementChange
from .models import Provider


class PlacementForm(GovukForm):
    start = GovukDateField(label="Start date", past_or_today=True, help_text="For example, 14 11 2026")
    provider = forms.ModelChoiceField(
        label="Provider from the directory (optional)", required=False, queryset=Provider.objects.none(),
        empty_label="Not in the directory",
        help_text="Choose one and Harbour fills in the type, provider code, Ofsted number, postcode and cost.",
    )
    placement_type = forms.ChoiceField(
        label="Type of placement", required=False, choices=[("", "Take it from the provider"), *PlacementType.choices],
        help_text="The SSDA903 placement type. Needed when the provider is not in the directory.",
    )
    carer_or_provider = forms.CharField(label="Carer or provider name", required=False, max_length=200,
                                        help_text="Needed when the provider is not in the directory.")
    place_provider = forms.ChoiceField(
        label="Who provides the placement", required=False,
        choices=[("", "Take it from the provider"), *PlacementProviderCode.choices],
    )
    urn = forms.CharField(label="Ofsted unique reference number", required=False, max_length=8,
                          help_text="For registered settings, for example SC123456")
    postcode = forms.CharField(label="Postcode of the placement", required=False, max_length=10)
    home_postcode = forms.CharField(
        label="Child's home postcode", required=False, max_length=10,
        help_text="Leave empty to keep the one recorded with the last placement. For an unaccompanied child, "
                  "where they were first found.",
    )
    cost_per_week = forms.DecimalField(label="Cost per week in pounds", required=False, min_value=Decimal("0"),
                                       max_digits=8, decimal_places=2)
    long_term = forms.TypedChoiceField(
        label="Is the placement planned to last until the child is 18?", choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect, coerce=lambda value: value == "yes", initial="no",
        error_messages={"required": "Select yes if the placement is planned to last until the child is 18"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.filter(active=True).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("provider"):
            if not data.get("placement_type"):
                self.add_error("placement_type", "Select the type of placement, or choose a provider")
            if not (data.get("carer_or_provider") or "").strip():
                self.add_error("carer_or_provider", "Enter the carer or provider name, or choose a provider")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        home = (data.get("home_postcode") or "").strip()
        return {
            "start": data["start"], "provider": data.get("provider"),
            "placement_type": data.get("placement_type") or "", "carer_or_provider": data.get("carer_or_provider") or "",
            "place_provider": data.get("place_provider") or "", "urn": data.get("urn") or "",
            "postcode": data.get("postcode") or "", "home_postcode": home or None,
            "cost_per_week": data.get("cost_per_week"), "long_term": data["long_term"],
        }


REASON_CHOICES = [("", "Select a reason"), *ReasonPlacementChange.choices]


class PlacementChangeForm(PlacementForm):
    reason_for_change = forms.ChoiceField(
        label="Why did the placement change?", required=False, choices=REASON_CHOICES,
        help_text="Not needed when the child is coming back from a temporary placement.",
    )
    end_note = forms.CharField(label="More about the change (optional)", required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["start", "reason_for_change", "end_note"]

    def service_arguments(self) -> dict[str, Any]:
        return {**super().service_arguments(), "reason_for_change": self.cleaned_data.get("reason_for_change") or "",
                "end_note": self.cleaned_data.get("end_note") or ""}


class PlacementEndForm(GovukForm):
    end = GovukDateField(label="End date", past_or_today=True, help_text="For example, 14 11 2026")
    reason_for_change = forms.ChoiceField(
        label="Why did the placement end?", required=False, choices=REASON_CHOICES,
        help_text="Needed when the child stays looked after. Leave it when their care ends on this day.",
    )
    end_note = forms.CharField(label="More about the end (optional)", required=False, max_length=500,
                               widget=forms.Textarea(attrs={"rows": 3}))


class NeedsProfileForm(GovukForm):
    needs = forms.MultipleChoiceField(
        label="What does the child need from a placement?", required=False, choices=Need.choices,
        widget=forms.CheckboxSelectMultiple, help_text="Select all that apply. Providers see these.",
    )
    needs_detail = forms.CharField(
        label="More about the child's needs (optional)", required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="For the council only: providers never see this.",
    )
