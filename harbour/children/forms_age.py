"""The age assessment form. The rules about the assessment live in children.services_age."""

from __future__ import annotations

from django import forms

from harbour.core.forms import GovukDateField, GovukForm

from .codes import AgeAssessmentOutcome


class AgeAssessmentForm(GovukForm):
    started_on = GovukDateField(label="Date the assessment started", past_or_today=True,
                                help_text="For example, 3 11 2026")
    completed_on = GovukDateField(label="Date the assessment was completed", past_or_today=True,
                                  help_text="For example, 24 11 2026")
    assessors = forms.CharField(
        label="Assessors", max_length=300, help_text="Names and roles of the two assessing social workers",
        error_messages={"required": "Enter the names and roles of the assessors"},
    )
    interpreter = forms.CharField(label="Interpreter (optional)", required=False, max_length=200,
                                  help_text="Name and language, for example: A. Haile, Tigrinya")
    outcome = forms.ChoiceField(
        label="What did the assessment find?", choices=AgeAssessmentOutcome.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what the assessment found"},
    )
    assessed_date_of_birth = GovukDateField(
        label="Assessed date of birth", help_text="The date of birth the assessors gave. Harbour uses it from now on "
                                                  "for every age and deadline; earlier dates of birth stay on record",
    )
    child_response = forms.CharField(
        label="The young person's response (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What they said when the outcome was explained to them, in their words",
    )
    naab_referred_on = GovukDateField(
        label="Date referred to the National Age Assessment Board (optional)", required=False, past_or_today=True,
        help_text="Only if the council referred the assessment to the Board",
    )
