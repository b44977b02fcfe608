"""Input shapes for the child's record. Rules about the record itself live in children.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.accounts.models import Role, User
from harbour.core.forms import DateRangeForm, GovukDateField, GovukForm

from .codes import CategoryOfNeed, DateOfBirthSource, Ethnicity, LegalStatus, Sex, UpnUnknown
from .models import ChildName, ChronologyEntry

YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Not known")]


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's field errors on the form's fields, and the rest at the top."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class IdentityForm(GovukForm):
    given_names = forms.CharField(
        label="Given names", required=False, max_length=200,
        help_text="As the child gives them. Enter the given names, the family name or both: a child with one name "
                  "needs only one of them",
    )
    family_name = forms.CharField(label="Family name", required=False, max_length=200)
    preferred_name = forms.CharField(label="Preferred name (optional)", required=False, max_length=200)
    names_in_original_script = forms.CharField(
        label="Name in the child's own script (optional)", required=False, max_length=300,
        help_text="For example in Arabic, Tigrinya or Pashto script",
    )
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.UNKNOWN)
    ethnicity = forms.ChoiceField(label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT)
    nationality = forms.CharField(label="Nationality (optional)", required=False, max_length=100)
    first_language = forms.CharField(label="First language (optional)", required=False, max_length=100)
    other_languages = forms.CharField(label="Other languages (optional)", required=False, max_length=300)
    interpreter_needed = forms.ChoiceField(
        label="Does the child need an interpreter?", choices=YES_NO_UNKNOWN, widget=forms.RadioSelect,
        initial="unknown",
    )
    religion = forms.CharField(label="Religion (optional)", required=False, max_length=100)
    upn = forms.CharField(label="Unique pupil number (optional)", required=False, max_length=13)
    upn_unknown_reason = forms.ChoiceField(
        label="If there is no unique pupil number, why not? (optional)",
        choices=[("", "Not applicable"), *UpnUnknown.choices], required=False,
    )
    home_office_reference = forms.CharField(label="Home Office reference (optional)", required=False, max_length=40)
    port_reference = forms.CharField(label="Port reference (optional)", required=False, max_length=40)
    is_uasc = forms.BooleanField(label="Unaccompanied asylum-seeking child", required=False)

    def clean_upn(self) -> str:
        value: str = self.cleaned_data["upn"].strip().upper()
        if value and (len(value) != 13 or not value[:-1].isalnum()):
            raise ValidationError("Unique pupil number must be 13 characters, like A123456789012")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_names") or data.get("family_name")):
            self.add_error("given_names", "Enter the child's name, or a name they are known by")
        if data.get("upn") and data.get("upn_unknown_reason"):
            self.add_error("upn_unknown_reason", "Leave the reason empty when you enter a unique pupil number")
        return data

    def identity(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in IdentityForm.base_fields}
        data["interpreter_needed"] = {"yes": True, "no": False}.get(data.get("interpreter_needed", ""), None)
        return data


class ChildCreateForm(IdentityForm):
    date_of_birth = GovukDateField(label="Date of birth", required=False, past_or_today=True,
                                   help_text="For example, 27 3 2010. Leave empty if not known")
    date_of_birth_source = forms.ChoiceField(
        label="Where does this date of birth come from?", choices=DateOfBirthSource.choices,
        widget=forms.RadioSelect, initial=DateOfBirthSource.CLAIMED,
    )
    social_worker = forms.ModelChoiceField(
        label="Allocated social worker", queryset=User.objects.none(),
        error_messages={"required": "Select the allocated social worker"},
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        workers = User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True).order_by("first_name", "last_name")
        if actor.role == Role.SOCIAL_WORKER:
            workers = workers.filter(pk=actor.pk)
        elif actor.role == Role.TEAM_LEADER and actor.team_id:
            workers = workers.filter(team_id=actor.team_id)
        field = self.fields["social_worker"]
        field.queryset = workers  # type: ignore[attr-defined]
        field.label_from_instance = lambda user: f"{user.display_name}, {user.team or 'no team'}"  # type: ignore[attr-defined]
        if actor.role == Role.SOCIAL_WORKER:
            field.initial = actor.pk


class EditIdentityForm(IdentityForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # A change is a correction (UK GDPR art. 16): its reason goes into the audit event and the
    # record's history of corrections.
    reason = forms.CharField(
        label="Why are you changing these details?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the spelling the child gave through an interpreter. It is kept with the change",
        error_messages={"required": "Enter why the record is being changed"},
    )


class RestrictionForm(GovukForm):
    reason = forms.CharField(
        label="Reason", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the young person contests the accuracy of their record (UK GDPR article 18)",
        error_messages={"required": "Enter the reason"},
    )


class AddNameForm(GovukForm):
    name = forms.CharField(label="Name", max_length=300, error_messages={"required": "Enter the name"})
    kind = forms.ChoiceField(
        label="What kind of name is this?", widget=forms.RadioSelect,
        choices=[(ChildName.Kind.SPELLING, "Another spelling of the child's name"),
                 (ChildName.Kind.ALIAS, "An alias or a name the child has used"),
                 (ChildName.Kind.ORIGINAL_SCRIPT, "The name in the child's own script")],
        error_messages={"required": "Select what kind of name this is"},
    )


class DateOfBirthForm(GovukForm):
    date_of_birth = GovukDateField(label="Date of birth", past_or_today=True, help_text="For example, 27 3 2010")
    source = forms.ChoiceField(
        label="Where does this date of birth come from?", choices=DateOfBirthSource.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select where this date of birth comes from"},
    )
    use_it = forms.ChoiceField(
        label="Should Harbour use this date of birth from now on?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, every age and deadline uses it from now on"), ("no", "No, keep it on record only")],
        error_messages={"required": "Select whether to use this date of birth"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class PeriodForm(DateRangeForm):
    start = GovukDateField(label="Start date", past_or_today=True, help_text="For example, 14 8 2026")
    end = GovukDateField(label="End date (optional)", required=False, past_or_today=True,
                         help_text="Leave empty if it has not ended")


class LegalStatusForm(PeriodForm):
    legal_status = forms.ChoiceField(
        label="Legal status", choices=[("", "Select a legal status"), *LegalStatus.choices],
        error_messages={"required": "Select the legal status"},
    )
    field_order = ["legal_status", "start", "end"]


class ChronologyEntryForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of entry is this?", choices=ChronologyEntry.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of entry this is"},
    )
    occurred_on = GovukDateField(
        label="When did it happen?", past_or_today=True, help_text="For example, 14 11 2026",
        error_messages={
            "required": "Enter the date it happened",
            "incomplete": "The date it happened must include {parts}",
            "invalid": "The date it happened must be a real date",
            "future": "The date it happened must be today or in the past",
        },
    )
    title = forms.CharField(label="Summary", max_length=200, help_text="One line, for example: Met his solicitor about the asylum interview",
                            error_messages={"required": "Enter a summary"})
    description = forms.CharField(label="Details (optional)", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="Write it for the child, who may read their record one day")


class ReturnFactsForm(GovukForm):
    """What the SSDA903 return needs that no other record holds: category of need, and motherhood."""

    category_of_need = forms.ChoiceField(
        label="Category of need", choices=[("", "Select a category of need"), *CategoryOfNeed.choices],
        help_text="The main reason the child is looked after, as recorded when the period of care started",
        error_messages={"required": "Select the category of need, N1 to N8"},
    )
    is_mother = forms.ChoiceField(
        label="Is she a mother? (girls and young women only)", widget=forms.RadioSelect, required=False,
        choices=[("yes", "Yes"), ("no", "No")],  # neither: not applicable (a boy), or not yet asked
    )
    mother_child_date_of_birth = GovukDateField(
        label="Date of birth of her first child (optional)", required=False, past_or_today=True,
        help_text="Only if she is a mother. For example, 27 3 2025",
    )

    def facts(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"category_of_need": data["category_of_need"],
                "is_mother": {"yes": True, "no": False}.get(data.get("is_mother") or "", None),
                "mother_child_date_of_birth": data.get("mother_child_date_of_birth")}
