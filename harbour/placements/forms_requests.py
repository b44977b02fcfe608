"""Input shapes for the placement request pages and the provider view. The rules live in
placements.services_requests; these only turn what was typed into values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.core.forms import GovukDateField, GovukForm

from .models import Offer, PlacementRequest, RequestRecipient
from .services_requests import (
    MAX_AREA_LENGTH,
    MAX_CARER_LENGTH,
    MAX_CHILD_VIEW_LENGTH,
    MAX_DECLINE_DETAIL_LENGTH,
    MAX_DETAILS_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SUMMARY_LENGTH,
)


class ServiceErrorsMixin:
    """Put a service's errors on the fields they are about; the rest go at the top."""

    fields: dict[str, Any]

    def apply_service_errors(self, error: ValidationError) -> None:
        pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
        for key, messages in pairs:
            target = key if key in self.fields else None
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]


class RequestForm(ServiceErrorsMixin, GovukForm):
    needed_from = GovukDateField(label="Date needed", help_text="For example, 27 3 2027",
                                 error_messages={"required": "Enter the date the placement is needed"})
    area_wanted = forms.CharField(
        label="Area wanted", required=False, max_length=MAX_AREA_LENGTH,
        help_text="Where the child should live, for example near their school or community. Leave it empty for "
                  "anywhere.",
        error_messages={"max_length": f"Area wanted must be {MAX_AREA_LENGTH} characters or fewer"},
    )
    summary_for_providers = forms.CharField(
        label="Summary for providers", max_length=MAX_SUMMARY_LENGTH, widget=forms.Textarea,
        help_text="What providers need to know to make an offer. Do not include names, dates of birth or "
                  "references: providers see this.",
        error_messages={
            "required": "Enter a summary for providers of what the child needs from a placement",
            "max_length": f"Summary for providers must be {MAX_SUMMARY_LENGTH} characters or fewer",
        },
    )


class OfferForm(ServiceErrorsMixin, GovukForm):
    available_from = GovukDateField(label="Available from", help_text="For example, 27 3 2027",
                                    error_messages={"required": "Enter the date the place is available from"})
    cost_per_week = forms.CharField(
        label="Cost per week, in pounds", required=False, max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        help_text="Leave it empty for the provider's usual cost.",
        error_messages={"max_length": "Cost per week must be an amount of money, like 950 or 1,250.50"},
    )
    carer_or_unit = forms.CharField(
        label="Carer or unit", required=False, max_length=MAX_CARER_LENGTH,
        help_text="For example, the foster carers' name or the room or flat offered.",
        error_messages={"max_length": f"Carer or unit must be {MAX_CARER_LENGTH} characters or fewer"},
    )
    details = forms.CharField(
        label="Details of the offer", required=False, max_length=MAX_DETAILS_LENGTH, widget=forms.Textarea,
        help_text="What the placement offers the child: the household or staff, school, community, support.",
        error_messages={"max_length": f"Details of the offer must be {MAX_DETAILS_LENGTH} characters or fewer"},
    )


class DeclineForm(ServiceErrorsMixin, GovukForm):
    decline_reason = forms.ChoiceField(
        label="Why did the provider decline?", choices=RequestRecipient.DeclineReason.choices,
        widget=forms.RadioSelect, error_messages={"required": "Select why the provider declined",
                                                  "invalid_choice": "Select why the provider declined"},
    )
    decline_detail = forms.CharField(
        label="More about why", required=False, max_length=MAX_DECLINE_DETAIL_LENGTH, widget=forms.Textarea,
        help_text="Needed when the reason is 'Other'.",
        error_messages={"max_length": f"Why the provider declined must be {MAX_DECLINE_DETAIL_LENGTH} characters "
                                      "or fewer"},
    )


class ProviderDeclineForm(DeclineForm):
    """The same question, asked of the provider themselves."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decline_reason"].label = "Why are you declining?"
        self.fields["decline_reason"].error_messages.update(
            required="Select why you are declining", invalid_choice="Select why you are declining")

    def apply_service_errors(self, error: ValidationError) -> None:
        super().apply_service_errors(ValidationError({
            key: [m.replace("why the provider declined", "why you are declining")
                  .replace("Why the provider declined", "Why you are declining") for m in messages]
            for key, messages in error.message_dict.items()
        }) if hasattr(error, "error_dict") else error)


class ChildViewForm(ServiceErrorsMixin, GovukForm):
    child_view = forms.CharField(
        label="The child's view of this offer", max_length=MAX_CHILD_VIEW_LENGTH, widget=forms.Textarea,
        help_text="In their own words where you can: what they said about the place, the people and the area.",
        error_messages={
            "required": "Enter the child's view of this offer, in their words",
            "max_length": f"The child's view must be {MAX_CHILD_VIEW_LENGTH} characters or fewer",
        },
    )


class ChoiceForm(ServiceErrorsMixin, GovukForm):
    offer = forms.ChoiceField(label="Which offer was chosen?", widget=forms.RadioSelect,
                              error_messages={"required": "Select the offer that was chosen",
                                              "invalid_choice": "Select the offer that was chosen"})
    chosen_by = forms.ChoiceField(label="Who chose?", choices=PlacementRequest.ChosenBy.choices,
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Select who chose", "invalid_choice": "Select who chose"})
    choice_reason = forms.CharField(
        label="Why was this offer chosen?", max_length=MAX_REASON_LENGTH, widget=forms.Textarea,
        help_text="Say what mattered to the child and why this place meets their needs.",
        error_messages={"required": "Enter why this offer was chosen",
                        "max_length": f"Why this offer was chosen must be {MAX_REASON_LENGTH} characters or fewer"},
    )

    def __init__(self, *args: Any, offers: list[Offer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers = {str(offer.pk): offer for offer in offers}
        self.fields["offer"].choices = [(str(o.pk), f"{o.provider.name}" + (f" ({o.carer_or_unit})"
                                                                           if o.carer_or_unit else ""))
                                        for o in offers]

    def chosen_offer(self) -> Offer | None:
        return self.offers.get(self.cleaned_data.get("offer") or "")


class PlacementForm(ServiceErrorsMixin, GovukForm):
    start = GovukDateField(label="Start date", past_or_today=True,
                           help_text="The day the child moved in: record it on the day, not before. For example, "
                                     "17 9 2026",
                           error_messages={"required": "Enter the start date"})
    long_term = forms.ChoiceField(
        label="Is this a long-term placement?", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect,
        help_text="Planned to last until the child is 18. This changes how often the child must be visited.",
        error_messages={"required": "Select yes if this is a long-term placement"},
    )

    def is_long_term(self) -> bool:
        return self.cleaned_data.get("long_term") == "yes"
