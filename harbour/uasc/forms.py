"""The asylum claim form. The rules about the claim live in uasc.services."""

from __future__ import annotations

from django import forms

from harbour.core.forms import GovukDateField, GovukForm

from .models import AsylumDecision, GroundsDecision, MissingEpisode


def _date(label: str, hint: str = "", *, required: bool = False) -> GovukDateField:
    return GovukDateField(label=label if required else f"{label} (optional)", required=required, past_or_today=True,
                          help_text=hint or "For example, 14 8 2026")


class AsylumClaimForm(GovukForm):
    claimed_on = _date("Date of the claim", required=True)
    legal_representative = forms.CharField(label="Legal representative (optional)", required=False, max_length=300,
                                           help_text="Name and firm, for example: R. Begum, Harbourside Law Centre")
    sef_due = GovukDateField(
        label="Statement of evidence form due (optional)", required=False,
        help_text="Leave empty and Harbour works it out from the date of the claim with the council's setting",
    )
    sef_sent_on = _date("Date the statement of evidence form was sent")
    interview_on = _date("Date of the interview")
    decision = forms.ChoiceField(label="Decision (optional)", required=False,
                                 choices=[("", "No decision yet"), *AsylumDecision.choices])
    decided_on = _date("Date of the decision")
    leave_granted_on = _date("Date leave was granted")
    leave_expires_on = GovukDateField(label="Date leave expires (optional)", required=False,
                                      help_text="For example, 14 2 2029")
    appeal_lodged_on = _date("Date the appeal was lodged")
    appeal_rights_exhausted_on = _date("Date appeal rights were exhausted")


class NrmReferralForm(GovukForm):
    referred_on = _date("Date of the referral", required=True)
    reasonable_grounds = forms.ChoiceField(label="Reasonable-grounds decision (optional)", required=False,
                                           choices=[("", "No decision yet"), *GroundsDecision.choices])
    reasonable_grounds_on = _date("Date of the reasonable-grounds decision")
    conclusive_grounds = forms.ChoiceField(label="Conclusive-grounds decision (optional)", required=False,
                                           choices=[("", "No decision yet"), *GroundsDecision.choices])
    conclusive_grounds_on = _date("Date of the conclusive-grounds decision")
    safety_plan = forms.CharField(label="Safety plan (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="Who the child must not be in contact with, warning signs, what carers do "
                                            "if the child goes missing")


class MissingEpisodeForm(GovukForm):
    kind = forms.ChoiceField(label="Was the child missing or away?", choices=MissingEpisode.Kind.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": "Select whether the child was missing or away"})
    started_on = _date("Date they went missing", required=True)
    ended_on = _date("Date they came back", "Leave empty if they have not come back")
    return_interview_on = _date("Date of the return interview")
    note = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 4}))
