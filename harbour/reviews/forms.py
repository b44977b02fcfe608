"""Forms for recording a review, auditing a case file and answering an IRO's action. The rules
live in `reviews.services`; the forms only read what was typed (service errors land on the
matching fields through `children.forms.apply_service_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.accounts.models import Role, User
from harbour.core.forms import GovukDateField, GovukForm
from harbour.domain.formatting import long_date
from harbour.domain.oc2 import SDQ_REASONS

from .models import AuditArea, AuditRating, LateReviewReason, OutcomeEvent, Review
from .services import ActionInput

REVIEW_ACTION_ROWS = 3
QA_ACTION_ROWS = 2
STAFF_ROLES = [r for r in Role.values if r not in {Role.PARTNER, Role.ADMINISTRATOR}]
SOCIAL_WORK_ROLES = [Role.SOCIAL_WORKER, Role.PERSONAL_ADVISER, Role.TEAM_LEADER]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name}, {obj.get_role_display().lower()}"


def _people(roles: list[str]) -> Any:
    return User.objects.filter(is_active=True, role__in=roles).order_by("first_name", "last_name")


def _add_action_rows(form: forms.Form, *, prefix: str, rows: int, owner_label: str, roles: list[str],
                     owner_help: str = "") -> None:
    for number in range(1, rows + 1):
        form.fields[f"{prefix}_{number}_description"] = forms.CharField(
            label=f"Action {number}", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        )
        form.fields[f"{prefix}_{number}_owner"] = PersonChoiceField(
            label=f"{owner_label} action {number}", required=False, queryset=_people(roles),
            empty_label="Select a person", help_text=owner_help,
        )
        form.fields[f"{prefix}_{number}_due_on"] = GovukDateField(
            label=f"Date action {number} is due", required=False, help_text="For example, 14 1 2027",
        )


def _action_inputs(data: dict[str, Any], *, prefix: str, rows: int) -> list[ActionInput]:
    return [ActionInput(data.get(f"{prefix}_{n}_description") or "", data.get(f"{prefix}_{n}_owner"),
                        data.get(f"{prefix}_{n}_due_on")) for n in range(1, rows + 1)]


class ReviewForm(GovukForm):
    held_on = GovukDateField(label="Date the review was held", past_or_today=True, help_text="For example, 27 11 2026")
    participation = forms.ChoiceField(
        label="How did the child take part?", choices=Review.Participation.choices, widget=forms.RadioSelect,
        help_text="The SSDA903 participation code. PN0 is only for a child under 4.",
        error_messages={"required": "Select how the child took part in the review"},
    )
    child_views = forms.CharField(
        label="The child's views, in their own words (optional)", required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    views_gathered = forms.ChoiceField(
        label="How were the child's views gathered? (optional)", required=False,
        choices=Review.ViewsGathered.choices, widget=forms.RadioSelect,
    )
    attendees = forms.CharField(
        label="Who attended (optional)", required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One person a line, with their role. For example, Amina (foster carer)",
    )
    care_plan_view = forms.CharField(
        label="The IRO's view of the care plan (optional)", required=False, max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    late_reason = forms.ModelChoiceField(
        label="If the review was held late, why?", required=False, queryset=LateReviewReason.objects.none(),
        widget=forms.RadioSelect, empty_label=None,
        help_text="Needed only when the review was held after its due date.",
    )
    late_reason_detail = forms.CharField(label="More about why it was late", required=False, max_length=500,
                                         help_text="Needed when you select Other.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["late_reason"].queryset = LateReviewReason.objects.filter(active=True)
        _add_action_rows(self, prefix="action", rows=REVIEW_ACTION_ROWS, owner_label="Who owns", roles=STAFF_ROLES)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"], "participation": data["participation"],
            "child_views": data.get("child_views") or "", "views_gathered": data.get("views_gathered") or "",
            "attendees": data.get("attendees") or "", "care_plan_view": data.get("care_plan_view") or "",
            "late_reason": data.get("late_reason"), "late_reason_detail": data.get("late_reason_detail") or "",
            "actions": _action_inputs(data, prefix="action", rows=REVIEW_ACTION_ROWS),
        }

    def action_rows(self) -> list[list[Any]]:
        return [[self[f"action_{n}_{part}"] for part in ("description", "owner", "due_on")]
                for n in range(1, REVIEW_ACTION_ROWS + 1)]


class CaseAuditForm(GovukForm):
    audited_on = GovukDateField(label="Date of the audit", past_or_today=True, help_text="For example, 27 11 2026")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = list(AuditArea.objects.filter(active=True))
        for area in self.areas:
            self.fields[f"area_{area.pk}_rating"] = forms.ChoiceField(
                label=area.name, choices=AuditRating.Rating.choices, widget=forms.RadioSelect,
                error_messages={"required": f"Select a rating for {area.name.lower()}"},
            )
            self.fields[f"area_{area.pk}_comment"] = forms.CharField(
                label=f"Comment on {area.name.lower()} (optional)", required=False, max_length=10_000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["summary"] = forms.CharField(label="Summary of the audit (optional)", required=False,
                                                 max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}))
        _add_action_rows(self, prefix="qa_action", rows=QA_ACTION_ROWS, owner_label="Social worker for",
                         roles=SOCIAL_WORK_ROLES,
                         owner_help="Leave it to raise the action with the child's allocated social worker.")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "audited_on": data["audited_on"], "summary": data.get("summary") or "",
            "ratings": {area.pk: (data.get(f"area_{area.pk}_rating") or "", data.get(f"area_{area.pk}_comment") or "")
                        for area in self.areas},
            "actions": _action_inputs(data, prefix="qa_action", rows=QA_ACTION_ROWS),
        }

    def area_rows(self) -> list[tuple[AuditArea, Any, Any]]:
        return [(area, self[f"area_{area.pk}_rating"], self[f"area_{area.pk}_comment"]) for area in self.areas]

    def action_rows(self) -> list[list[Any]]:
        return [[self[f"qa_action_{n}_{part}"] for part in ("description", "owner", "due_on")]
                for n in range(1, QA_ACTION_ROWS + 1)]


class ResponseForm(GovukForm):
    response = forms.CharField(label="Your response", max_length=10_000, widget=forms.Textarea(attrs={"rows": 5}),
                               error_messages={"required": "Enter your response to the action"})


YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str | None) -> bool | None:
    return None if not value else value == "yes"


def _sdq_score_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, help_text="The total difficulties score, from 0 to 40",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "SDQ score must be a whole number between 0 and 40"},
    )


def _sdq_reason_field(label: str, *, no_reason: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, required=False, choices=[("", no_reason), *SDQ_REASONS.items()])


class CheckForm(GovukForm):
    kind = forms.ChoiceField(
        label="What are you recording?", widget=forms.RadioSelect,
        choices=[("visit", "A statutory visit"), ("health_assessment", "A health assessment"),
                 ("pep", "A personal education plan (PEP) review"), ("care_plan", "An agreed care plan")],
        error_messages={"required": "Select what you are recording"},
    )
    on = GovukDateField(label="Date", past_or_today=True, help_text="The day it happened. For example, 27 11 2026",
                        error_messages={"required": "Enter the date"})
    seen_alone = forms.ChoiceField(label="Visits: was the child seen alone? (optional)", required=False,
                                   choices=YES_NO, widget=forms.RadioSelect)
    dental_check_on = GovukDateField(label="Health assessments: date of the last dental check (optional)",
                                     required=False, past_or_today=True)
    immunisations_up_to_date = forms.ChoiceField(
        label="Health assessments: are the child's immunisations up to date? (optional)", required=False,
        choices=YES_NO, widget=forms.RadioSelect,
    )
    sdq_score = _sdq_score_field("Health assessments: Strengths and Difficulties Questionnaire (SDQ) score (optional)")
    sdq_reason = _sdq_reason_field("Health assessments: if there is no SDQ score, why not? (optional)",
                                   no_reason="There is a score, or the SDQ is still to do")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"kind": data["kind"], "on": data["on"], "seen_alone": _yes_no(data.get("seen_alone")),
                "dental_check_on": data.get("dental_check_on"),
                "immunisations_up_to_date": _yes_no(data.get("immunisations_up_to_date")),
                "sdq_score": data.get("sdq_score"), "sdq_reason": data.get("sdq_reason") or ""}


class SdqForm(GovukForm):
    assessment = forms.ChoiceField(label="Which health assessment is the SDQ for?", widget=forms.RadioSelect,
                                   error_messages={"required": "Select the health assessment the SDQ is for",
                                                   "invalid_choice": "Select the health assessment the SDQ is for"})
    sdq_score = _sdq_score_field("Strengths and Difficulties Questionnaire (SDQ) score")
    sdq_reason = _sdq_reason_field("If there is no SDQ score, why not?", no_reason="There is a score")

    def __init__(self, *args: Any, assessments: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessment"].choices = [(str(a.pk), long_date(a.assessed_on)) for a in assessments]

    def service_arguments(self) -> dict[str, Any]:
        return {"sdq_score": self.cleaned_data.get("sdq_score"), "sdq_reason": self.cleaned_data.get("sdq_reason") or ""}


class OutcomeEventForm(GovukForm):
    kind = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect, choices=OutcomeEvent.Kind.choices,
                             error_messages={"required": "Select what happened"})
    happened_on = GovukDateField(label="Date", past_or_today=True,
                                 help_text="The day it was identified, or of the conviction, warning or reprimand. "
                                           "For example, 27 11 2026",
                                 error_messages={"required": "Enter the date"})
    intervention_received = forms.ChoiceField(
        label="Substance misuse: did the child receive an intervention for it?", required=False, choices=YES_NO,
        widget=forms.RadioSelect)
    intervention_offered = forms.ChoiceField(
        label="Substance misuse: if not, was an intervention offered?", required=False, choices=YES_NO,
        widget=forms.RadioSelect)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"kind": data["kind"], "happened_on": data["happened_on"],
                "intervention_received": _yes_no(data.get("intervention_received")),
                "intervention_offered": _yes_no(data.get("intervention_offered"))}


class InvitationForm(GovukForm):
    review_on = GovukDateField(label="Date of the review", help_text="For example, 14 1 2027")
    parent_1_name = forms.CharField(label="Parent 1: name (optional)", required=False, max_length=200,
                                    help_text="Only where the IRO judges it right to invite them")
    parent_1_email = forms.CharField(label="Parent 1: email address (optional)", required=False, max_length=254,
                                     help_text="Leave it empty to print a letter instead")
    parent_2_name = forms.CharField(label="Parent 2: name (optional)", required=False, max_length=200)
    parent_2_email = forms.CharField(label="Parent 2: email address (optional)", required=False, max_length=254)

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"review_on": data["review_on"],
                "parents": [(data.get(f"parent_{n}_name") or "", data.get(f"parent_{n}_email") or "") for n in (1, 2)]}
