from __future__ import annotations

from django import forms

from harbour.core.forms import GovukForm


class HoldForm(GovukForm):
    hold_child_id = forms.UUIDField(
        label="Record identifier", help_text="The child's record identifier, for example 3f2b1c9e-0d4a-4e1b-9c55-2a7f0e6b8d11",
        error_messages={"required": "Enter the record identifier", "invalid": "Enter the record identifier in the "
                        "form shown in the list, for example 3f2b1c9e-0d4a-4e1b-9c55-2a7f0e6b8d11"},
    )
    reason = forms.CharField(
        label="Why the record must be kept", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a claim against the council, a public inquiry or a subject access request",
        error_messages={"required": "Enter why the record must be kept",
                        "max_length": "Why the record must be kept must be 500 characters or fewer"},
    )
