"""Input shapes for the rota pages. Rules about the rota itself live in allocation.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.accounts.models import Role, User
from harbour.core.forms import DateRangeForm, GovukDateField, GovukForm
from harbour.domain.oc2 import SW_REASONS, SW_REASONS_CONFIRMED

from .models import RotaMember
from .selectors import social_workers_for_override

# Where a service's error keys land on each form; keys not listed go to the top of the summary.
OVERRIDE_FIELDS = {"override_worker": "worker", "override_reason": "reason"}


def apply_service_errors(form: forms.Form, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    """Put a service's field errors on the form's fields, and the rest at the top."""
    renames = renames or {}
    for key, messages in error.message_dict.items():
        name = renames.get(key, key)
        target = name if name in form.fields and name != "__all__" else None
        for message in messages:
            form.add_error(target, message)


def _worker_label(user: User) -> str:
    return f"{user.display_name}, {user.team or 'no team'}"


class AllocateForm(GovukForm):
    """The one button on the proposal: it says whom the page showed, so a rota that has moved on
    in the meantime is caught rather than allocating someone the manager did not see."""

    worker = forms.UUIDField(widget=forms.HiddenInput, required=False)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


def _sw_reason_choices() -> list[tuple[str, str]]:
    # Six of the DfE's labels are read from the codes' names, not confirmed (reference 4.9): say so.
    return [(code, label if code in SW_REASONS_CONFIRMED else f"{label} (the DfE's label is not confirmed)")
            for code, label in SW_REASONS.items()]


class ChangeSocialWorkerForm(GovukForm):
    worker = forms.ModelChoiceField(
        label="New social worker", queryset=User.objects.none(), empty_label="Select a social worker",
        error_messages={"required": "Select the new social worker",
                        "invalid_choice": "Select an active social worker"},
    )
    reason = forms.ChoiceField(
        label="Why is the social worker changing?", widget=forms.RadioSelect, choices=_sw_reason_choices,
        help_text="The annual SSDA903 return gives this reason for each change",
        error_messages={"required": "Select why the social worker is changing"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = social_workers_for_override()  # type: ignore[attr-defined]
        field.label_from_instance = _worker_label  # type: ignore[attr-defined]


class OverrideForm(GovukForm):
    worker = forms.ModelChoiceField(
        label="Social worker", queryset=User.objects.none(), empty_label="Select a social worker",
        error_messages={"required": "Select the social worker to allocate",
                        "invalid_choice": "Select an active social worker"},
    )
    reason = forms.CharField(
        label="Why are you allocating someone other than the next worker on the rota?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: he speaks Tigrinya, or she already works with his brother",
        error_messages={"required": "Enter why you are allocating someone other than the next worker on the rota"},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["worker"]
        field.queryset = social_workers_for_override()  # type: ignore[attr-defined]
        field.label_from_instance = _worker_label  # type: ignore[attr-defined]


class AddMemberForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Social worker", queryset=User.objects.none(), empty_label="Select a social worker",
        error_messages={"required": "Select the social worker to add to the rota",
                        "invalid_choice": "Select an active social worker who is not on the rota"},
    )
    uasc_trained_on = GovukDateField(
        label="Date of UASC training (optional)", required=False, past_or_today=True,
        help_text="When they completed the council's UASC training. For example, 14 9 2026. Leave empty if they have not",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        on_rota = RotaMember.objects.filter(active=True).values("user_id")
        field = self.fields["user"]
        field.queryset = social_workers_for_override().exclude(pk__in=on_rota)  # type: ignore[attr-defined]
        field.label_from_instance = _worker_label  # type: ignore[attr-defined]


class TrainingForm(GovukForm):
    trained_on = GovukDateField(label="Date of UASC training", past_or_today=True,
                                help_text="For example, 14 9 2026")


class LeaveForm(DateRangeForm):
    user = forms.ModelChoiceField(
        label="Worker", queryset=User.objects.none(), empty_label="Select a worker",
        error_messages={"required": "Select the worker who is on leave",
                        "invalid_choice": "Select a worker on the rota"},
    )
    start = GovukDateField(label="Start date", help_text="The first day away. For example, 30 11 2026")
    end = GovukDateField(label="End date", help_text="The last day away. For example, 4 12 2026")
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=100,
                             help_text="For example: annual leave, training. Do not give health details")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = (User.objects.filter(rota_member__isnull=False).select_related("team")  # type: ignore[attr-defined]
                          .order_by("first_name", "last_name"))
        field.label_from_instance = _worker_label  # type: ignore[attr-defined]


class PracticeLeadForm(GovukForm):
    user = forms.ModelChoiceField(
        label="Practice lead", queryset=User.objects.none(), empty_label="Select a person",
        error_messages={"required": "Select the practice lead",
                        "invalid_choice": "Select someone who is not already a practice lead"},
    )
    specialism = forms.CharField(label="What to consult them about (optional)", required=False, max_length=200,
                                 help_text="For example: age assessment, trafficking, Eritrean and Sudanese children")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        leads = User.objects.filter(practice_lead__active=True).values("pk")
        field = self.fields["user"]
        field.queryset = (User.objects.filter(is_active=True)  # type: ignore[attr-defined]
                          .exclude(role__in=[Role.PARTNER, Role.ADMINISTRATOR]).exclude(pk__in=leads)
                          .select_related("team").order_by("first_name", "last_name"))
        field.label_from_instance = _worker_label  # type: ignore[attr-defined]
