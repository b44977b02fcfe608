from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovukForm
from harbour.domain.board_report import BoardPeriodError, parse_period


class DraftForm(GovukForm):
    period = forms.CharField(
        label="Which period is the report for?", max_length=12,
        help_text="A financial quarter, like 2026-27-Q2 (July to September 2026), or a financial year, like 2026-27",
        error_messages={"required": "Enter the period the report is for, like 2026-27-Q2"})

    def clean_period(self) -> Any:
        try:
            return parse_period(self.cleaned_data["period"])
        except BoardPeriodError as error:
            raise forms.ValidationError(str(error)) from None


class CommentaryForm(GovukForm):
    text = forms.CharField(label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text="What the board should know about these figures: what lies behind them and "
                                     "what the service is doing. Leave a blank line between paragraphs.")
    nothing_to_add = forms.BooleanField(label="There is nothing to add to the figures", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PublishForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
