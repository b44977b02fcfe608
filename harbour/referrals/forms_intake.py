"""Input shapes for NTS intake pages. The rules about referrals themselves live in
referrals.services_intake; these forms only turn what was typed into values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.accounts.models import Role, Team, User
from harbour.children.codes import Sex
from harbour.children.forms import YES_NO_UNKNOWN
from harbour.core.forms import GovukDateField, GovukForm
from harbour.domain.duplicates import PersonFacts

from .models import Referral
from .services_intake import ACCEPT, CONTEST, FUTURE_RECEIVED, DuplicateCheck, person_facts


def _max(model_field: str) -> int:
    return int(Referral._meta.get_field(model_field).max_length or 300)


_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.]?(?P<minute>\d{2}))?\s*(?P<suffix>am|pm)?$")
TIME_ERROR = "Enter the time received, like 14:30"


def parse_time(text: str) -> dt.time | None:
    """"14:30", "14.30", "1430", "9:05", "2:30pm", "2pm" -> a time; anything else -> None."""
    match = _TIME.match(text.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if match["suffix"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["suffix"] == "pm" else 0)
    elif match["minute"] is None:
        return None  # "14" alone is not a time anyone means
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)


def _textarea(label: str, hint: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, help_text=hint, widget=forms.Textarea(attrs={"rows": rows}))


class ReferralForm(GovukForm):
    """One page, grouped in fieldsets: the scheme needs only when it came, from whom, its NTS
    reference and a name for the child; everything else may be left until it is known."""

    # -- The referral
    received_on = GovukDateField(
        label="Date received", past_or_today=True, help_text="For example, 18 11 2026",
        error_messages={"required": "Enter the date the referral was received"},
    )
    received_time = forms.CharField(
        label="Time received", max_length=10, help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": TIME_ERROR},
    )
    referring_authority = forms.CharField(
        label="Referring authority", max_length=_max("referring_authority"),
        help_text="The council or Home Office unit that referred the child",
        error_messages={"required": "Enter the referring authority"},
    )
    referrer_contact = forms.CharField(label="Referrer's contact details", required=False,
                                       max_length=_max("referrer_contact"),
                                       help_text="Name, phone number or email address")
    nts_reference = forms.CharField(label="NTS reference", max_length=_max("nts_reference"),
                                    error_messages={"required": "Enter the NTS reference"})
    home_office_reference = forms.CharField(label="Home Office reference", required=False, max_length=40)
    port_reference = forms.CharField(label="Port reference", required=False, max_length=40)
    # -- The child
    given_names = forms.CharField(
        label="Given names", required=False, max_length=200,
        help_text="As the referral gives them. Enter the given names, the family name or both: a child with one "
                  "name needs only one of them",
    )
    family_name = forms.CharField(label="Family name", required=False, max_length=200)
    names_in_original_script = forms.CharField(
        label="Name in the child's own script", required=False, max_length=300,
        help_text="For example in Arabic, Tigrinya or Pashto script",
    )
    claimed_date_of_birth = GovukDateField(label="Claimed date of birth", required=False, past_or_today=True,
                                           help_text="The date the child gives. For example, 27 3 2010")
    home_office_date_of_birth = GovukDateField(label="Home Office date of birth", required=False, past_or_today=True,
                                               help_text="The date on the Home Office's record, if it differs")
    sex = forms.ChoiceField(label="Sex", choices=Sex.choices, widget=forms.RadioSelect, initial=Sex.UNKNOWN,
                            error_messages={"required": "Select the child's sex, or Not known"})
    nationality = forms.CharField(label="Nationality", required=False, max_length=100)
    first_language = forms.CharField(label="First language", required=False, max_length=100)
    other_languages = forms.CharField(label="Other languages", required=False, max_length=300)
    interpreter_needed = forms.ChoiceField(label="Does the child need an interpreter?", choices=YES_NO_UNKNOWN,
                                           widget=forms.RadioSelect, initial="unknown")
    religion = forms.CharField(label="Religion", required=False, max_length=100)
    # -- Where the child is now
    current_location_kind = forms.ChoiceField(
        label="Where is the child now?", choices=Referral.LocationKind.choices, widget=forms.RadioSelect,
        initial=Referral.LocationKind.UNKNOWN, error_messages={"required": "Select where the child is now"},
    )
    current_location = forms.CharField(label="Address or name of the place", required=False,
                                       max_length=_max("current_location"))
    age_assessment_status = forms.ChoiceField(
        label="Age assessment", choices=Referral.AgeAssessment.choices, widget=forms.RadioSelect,
        initial=Referral.AgeAssessment.UNKNOWN, error_messages={"required": "Select the age-assessment status"},
    )
    # -- Health, safety and links
    health_information = _textarea("Health information")
    safety_information = _textarea("Risks and safety information")
    trafficking_indicators = _textarea("Trafficking indicators")
    family_links = _textarea("Family or community links", "Relatives or friends in the UK, and where they live")
    legal_representative = forms.CharField(label="Legal representative", required=False,
                                           max_length=_max("legal_representative"),
                                           help_text="Name and firm of the child's solicitor, if they have one")
    documents_received = _textarea("Documents received with the referral", "One document per line", rows=4)
    # -- Who runs the transfer (only asked of those who are not tied to one team)
    team = forms.ModelChoiceField(label="Team that will run the transfer", queryset=Team.objects.none(),
                                  empty_label="Select a team",
                                  error_messages={"required": "Select the team that will run the transfer"})

    FIELDSETS: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("The referral", ("received_on", "received_time", "referring_authority", "referrer_contact", "nts_reference",
                          "home_office_reference", "port_reference", "team")),
        ("The child", ("given_names", "family_name", "names_in_original_script", "claimed_date_of_birth",
                       "home_office_date_of_birth", "sex", "nationality", "first_language", "other_languages",
                       "interpreter_needed", "religion")),
        ("Where the child is now", ("current_location_kind", "current_location", "age_assessment_status")),
        ("Health, safety and links", ("health_information", "safety_information", "trafficking_indicators",
                                      "family_links", "legal_representative", "documents_received")),
    )

    def __init__(self, *args: Any, actor: User, now: dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        if actor.role == Role.TEAM_LEADER and actor.team_id:
            # A team leader records referrals for their own team: nothing to ask.
            del self.fields["team"]
            self.fixed_team = actor.team
        else:
            self.fixed_team = None
            self.fields["team"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.FIELDSETS]

    def clean_received_time(self) -> dt.time:
        parsed = parse_time(self.cleaned_data["received_time"])
        if parsed is None:
            raise ValidationError(TIME_ERROR)
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("given_names") or data.get("family_name")):
            self.add_error("given_names", "Enter the child's name, or a name they are known by")
        received_at = self.received_at()
        if received_at is not None and received_at > self.now:
            # The date alone may be today; then it is the time that is wrong.
            wrong = "received_time" if data["received_on"] == timezone.localdate(self.now) else "received_on"
            self.add_error(wrong, FUTURE_RECEIVED)
        return data

    def received_at(self) -> dt.datetime | None:
        day, time = self.cleaned_data.get("received_on"), self.cleaned_data.get("received_time")
        if day is None or time is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, time))

    def chosen_team(self) -> Team | None:
        return self.fixed_team or self.cleaned_data.get("team")

    def referral_details(self) -> dict[str, Any]:
        data = {f: self.cleaned_data.get(f, "") for f in (
            "referring_authority", "referrer_contact", "nts_reference", "current_location", "current_location_kind",
            "age_assessment_status", "health_information", "safety_information", "trafficking_indicators",
            "family_links", "legal_representative", "documents_received")}
        data["received_at"] = self.received_at()
        return data

    def identity(self) -> dict[str, Any]:
        data = {f: self.cleaned_data.get(f, "") for f in (
            "given_names", "family_name", "names_in_original_script", "sex", "nationality", "first_language",
            "other_languages", "religion", "home_office_reference", "port_reference")}
        data["interpreter_needed"] = {"yes": True, "no": False}.get(self.cleaned_data.get("interpreter_needed", ""))
        return data

    def person_facts(self) -> PersonFacts:
        return person_facts(self.identity(), [self.cleaned_data.get("claimed_date_of_birth"),
                                              self.cleaned_data.get("home_office_date_of_birth")])


# Service error keys that name something other than a field of ReferralForm.
SERVICE_FIELD_MAP = {"received_at": "received_on", "link_to_child": "link"}
NEW_CHILD = "new"


class LinkChoiceForm(GovukForm):
    """After the duplicate check: link the referral to one of the children found, or record a new child."""

    link = forms.ChoiceField(
        label="Is the child referred one of these children?", widget=forms.RadioSelect,
        error_messages={"required": "Select a child to link this referral to, or record a new child",
                        "invalid_choice": "Select a child to link this referral to, or record a new child"},
    )

    def __init__(self, *args: Any, check: DuplicateCheck, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.check = check
        choices = [(str(c.child.pk), f"Link this referral to {c.child.full_name}") for c in check.visible]
        self.fields["link"].choices = [*choices, (NEW_CHILD, "None of these: record a new child")]  # type: ignore[attr-defined]

    def chosen_child(self) -> Any:
        chosen = self.cleaned_data.get("link")
        candidate = self.check.candidate(chosen) if chosen and chosen != NEW_CHILD else None
        return candidate.child if candidate else None


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Does the council accept the referral?", widget=forms.RadioSelect,
        choices=[(ACCEPT, "Accept the referral"), (CONTEST, "Contest the referral")],
        error_messages={"required": "Select whether to accept or contest the referral"},
    )
    reason = forms.CharField(label="Reason for contesting", required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text="Needed only when contesting. The Home Office reads this: give the council's "
                                       "figures and anything about the child's best interests")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == CONTEST and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter why the council is contesting the referral")
        return data
