"""The forms of merging: propose (which record to keep, and why), confirm, decline and undo."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovukForm

from .services import REASON_MAX_LENGTH

_TOO_LONG = f"Reason must be {REASON_MAX_LENGTH} characters or fewer"


class ProposeForm(GovukForm):
    keep = forms.ChoiceField(
        label="Which record should Harbour keep?",
        widget=forms.RadioSelect,
        help_text="Everything on the other record moves to the one you keep. The other record is kept too, "
        "marked as merged, so the merge can be undone",
        error_messages={"required": "Select which record Harbour should keep"},
    )
    reason = forms.CharField(
        label="Why are these records the same child?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the same Home Office reference, or the young person confirmed both names are theirs",
        error_messages={
            "required": "Enter why these records are the same child",
            "max_length": _TOO_LONG,
        },
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["keep"].choices = choices


class ConfirmForm(GovukForm):
    checked = forms.BooleanField(
        label="I have checked both records and they are the same child",
        error_messages={
            "required": "Confirm that you have checked both records and they are the same child"
        },
    )


class DeclineForm(GovukForm):
    decline_reason = forms.CharField(
        label="Why are these not the same child?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why these are not the same child",
            "max_length": _TOO_LONG,
        },
    )


class UndoForm(GovukForm):
    undo_reason = forms.CharField(
        label="Why is the merge being undone?",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Everything the merge moved goes back to the other record, which can be seen again",
        error_messages={"required": "Enter why the merge is being undone", "max_length": _TOO_LONG},
    )
