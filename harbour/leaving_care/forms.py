"""Leaving-care forms. The rules live in leaving_care.services."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovukDateField, GovukForm

from .codes import (
    AccommodationType,
    Activity,
    DutyToReferOutcome,
    EndingKind,
    FundingSource,
    HumanRightsOutcome,
    InTouch,
    LivingArrangementKind,
)
from .models import PathwayPlan

SUITABLE = [("yes", "Yes, suitable"), ("no", "No, not suitable")]


class AdviserContactForm(GovukForm):
    contacted_on = GovukDateField(label="Date of the contact", past_or_today=True, help_text="For example, 24 11 2026")
    in_touch = forms.ChoiceField(label="Is the young person in touch?", choices=InTouch.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "Select whether the young person is in touch"})
    activity = forms.ChoiceField(label="What are they doing?", choices=[("", "Select an activity"), *Activity.choices],
                                 help_text="Education, training or employment, as the SSDA903 return codes it",
                                 error_messages={"required": "Select what the young person is doing"})
    accommodation = forms.ChoiceField(label="Where do they live?",
                                      choices=[("", "Select a kind of accommodation"), *AccommodationType.choices],
                                      error_messages={"required": "Select where the young person lives"})
    accommodation_suitable = forms.ChoiceField(label="Is the accommodation suitable?", choices=SUITABLE,
                                               widget=forms.RadioSelect, required=False,
                                               help_text="Leave empty only when they are not in touch")
    note = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000)

    def suitable(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("accommodation_suitable") or "")


class PathwayPlanForm(GovukForm):
    kind = forms.ChoiceField(label="Is this the pathway plan or a review?", choices=PathwayPlan.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select whether this is the pathway plan or a review of it"})
    held_on = GovukDateField(label="Date of the plan or review", past_or_today=True, help_text="For example, 2 9 2026")
    plan_if_leave_granted = forms.CharField(
        label="The plan if leave to remain is granted (optional)", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}), help_text="Triple planning: for young people with an asylum claim")
    plan_if_no_decision = forms.CharField(label="The plan if there is no decision by 18 (optional)", required=False,
                                          max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    plan_if_refused = forms.CharField(label="The plan if the claim is refused (optional)", required=False,
                                      max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PlacementExtensionForm(GovukForm):
    starts_on = GovukDateField(label="Date the extension starts", help_text="On or after their 18th birthday")
    review_on = GovukDateField(label="Date to review the extension", help_text="For example, 1 6 2027")
    weekly_cost = forms.DecimalField(label="Weekly cost to the council, in pounds", min_value=0, max_digits=8,
                                     decimal_places=2, help_text="For example, 450.00",
                                     error_messages={"required": "Enter the weekly cost to the council, like 450.00",
                                                     "invalid": "Weekly cost must be a number, like 450.00",
                                                     "min_value": "Weekly cost must be 0 or more"})
    funding_source = forms.ChoiceField(label="How is it funded?", choices=FundingSource.choices,
                                       widget=forms.RadioSelect,
                                       error_messages={"required": "Select how the extension is funded"})
    reason = forms.CharField(label="Why is the placement being extended?", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=2000, error_messages={"required": "Enter why the placement is being extended"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weekly_cost"].widget.attrs.update({"inputmode": "decimal"})


YES_NO = [("yes", "Yes"), ("no", "No")]


class SupportTo25Form(GovukForm):
    requested_on = GovukDateField(label="Date they asked for support", past_or_today=True,
                                  help_text="For example, 4 9 2026")


class LivingArrangementForm(GovukForm):
    kind = forms.ChoiceField(label="Which arrangement is it?", choices=LivingArrangementKind.choices,
                             widget=forms.RadioSelect, error_messages={"required": "Select Staying Put or Staying Close"})
    starts_on = GovukDateField(label="Start date", help_text="On or after their 18th birthday")
    ends_on = GovukDateField(label="End date (optional)", required=False, help_text="Leave empty if it has not ended")
    carer_or_provider = forms.CharField(label="Former foster carers or provider", max_length=200,
                                        error_messages={"required": "Enter the former foster carers or the provider"})


class HumanRightsAssessmentForm(GovukForm):
    completed_on = GovukDateField(label="Date the assessment was completed", past_or_today=True,
                                  help_text="For example, 12 10 2026")
    outcome = forms.ChoiceField(label="What did the assessment find?", choices=HumanRightsOutcome.choices,
                                widget=forms.RadioSelect, error_messages={"required": "Select the outcome of the assessment"})
    reasons = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                              error_messages={"required": "Enter the reasons for the outcome"})


class DutyToReferForm(GovukForm):
    referred_on = GovukDateField(label="Date of the referral", past_or_today=True, help_text="For example, 2 11 2026")
    housing_authority = forms.CharField(label="Housing authority the young person chose", max_length=200,
                                        error_messages={"required": "Enter the housing authority the young person chose"})
    consent_to_refer = forms.ChoiceField(label="Did the young person agree to the referral?", choices=YES_NO,
                                         widget=forms.RadioSelect,
                                         error_messages={"required": "Select whether the young person agreed"})
    consent_to_share_contact_details = forms.ChoiceField(
        label="Did they agree to their contact details being shared?", choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": "Select whether they agreed to share their contact details"})
    outcome = forms.ChoiceField(label="Outcome", choices=DutyToReferOutcome.choices, initial=DutyToReferOutcome.AWAITED)
    outcome_on = GovukDateField(label="Date of the outcome (optional)", required=False, past_or_today=True)

    def arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["consent_to_refer"] = data["consent_to_refer"] == "yes"
        data["consent_to_share_contact_details"] = data["consent_to_share_contact_details"] == "yes"
        return data


class AccommodationEndingForm(GovukForm):
    kind = forms.ChoiceField(label="What is happening?", choices=EndingKind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select whether notice was served or the accommodation is ending"})
    known_on = GovukDateField(label="Date the council found out", past_or_today=True, help_text="For example, 20 11 2026")
    ends_on = GovukDateField(label="Date they must leave", help_text="For example, 18 1 2027")
    next_home = forms.CharField(label="Their next home (optional)", required=False, max_length=300,
                                help_text="Leave empty while there is none: they are then on the at-risk list")
