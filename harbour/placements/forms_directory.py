"""Input shapes for the directory pages. The rules live in placements.services_directory; these only
turn what was typed into values (a whole number, an amount of money) and say so when they cannot."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.accounts.models import PartnerAgency
from harbour.core.forms import GovukForm

from . import services_directory as rules
from .codes import Need, PlacementType
from .models import Provider, Track
from .selectors_directory import DirectoryFilters


def _whole_number(label: str, *, required: bool = True, example: str = "2") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=required,
        error_messages={"required": f"Enter {label[0].lower() + label[1:]}",
                        "invalid": f"{label} must be a whole number, like {example}"},
    )


class DirectoryFilterForm(GovukForm):
    """The directory's filters, from the query string. A value that is not a choice is ignored."""

    name = forms.CharField(label="Name", required=False, max_length=200)
    track = forms.ChoiceField(label="In-house or external", required=False,
                              choices=[("", "In-house and external"), *Track.choices])
    kind = forms.ChoiceField(label="Kind of provider", required=False,
                             choices=[("", "Any kind"), *Provider.Kind.choices])
    area = forms.ChoiceField(label="Area", required=False, choices=[("", "Any area")])
    has_vacancy = forms.BooleanField(label="Only providers with a vacancy", required=False)
    include_inactive = forms.BooleanField(label="Include providers no longer used", required=False)

    def __init__(self, data: Any, *, areas: list[str]) -> None:
        super().__init__(data)
        self.fields["area"].choices = [("", "Any area"), *((a, a) for a in areas)]

    def filters(self) -> DirectoryFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items()}
        return DirectoryFilters(
            track=data.get("track", ""), kind=data.get("kind", ""), area=data.get("area", ""),
            has_vacancy=bool(data.get("has_vacancy")), name=data.get("name", "") or "",
            include_inactive=bool(data.get("include_inactive")),
        )


class MoneyField(forms.CharField):
    """An amount in pounds typed as people do: "650", "650.50", "£1,200". Cleans to Decimal."""

    default_error_messages = {"invalid": "Enter an amount of money, like 650 or 650.50"}

    def clean(self, value: Any) -> Decimal | None:
        text = (super().clean(value) or "").replace(",", "").replace("£", "").strip()
        if not text:
            return None
        try:
            amount = Decimal(text)
        except ArithmeticError:
            amount = None
        if amount is None or not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


NO_MOCKINGBIRD = "none"
MOCKINGBIRD_CHOICES = [(NO_MOCKINGBIRD, "Not in a Mockingbird constellation"),
                       *((v, label) for v, label in Provider.Mockingbird.choices if v)]
PLACE_PROVIDER_CHOICES = [
    ("PR1", "PR1: the council itself"),
    ("PR4", "PR4: private sector"),
    ("PR5", "PR5: voluntary or third sector"),
    ("PR2", "PR2: another council"),
    ("PR3", "PR3: another public body"),
]


class ProviderForm(GovukForm):
    name = forms.CharField(label="Provider name", max_length=200,
                           help_text="For a foster carer, the household's name, for example Jones family",
                           error_messages={"required": "Enter the provider's name",
                                           "max_length": "Provider name must be 200 characters or fewer"})
    kind = forms.ChoiceField(label="Kind of provider", choices=Provider.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "Select the kind of provider"})
    partner_agency = forms.ChoiceField(
        label="The provider's own agency", required=False, choices=[],
        help_text="Outside providers only: its staff can then update its vacancies and answer requests")
    ofsted_urn = forms.CharField(
        label="Ofsted unique reference number (URN)", required=False, max_length=20,
        help_text="Needed for children's homes, registered supported accommodation and fostering agencies, "
                  "for example SC123456",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}))
    registration = forms.CharField(label="Registration", required=False, max_length=200,
                                   help_text="For example, registered with Ofsted, judged good in 2025")
    postcode = forms.CharField(label="Postcode", required=False, max_length=10,
                               error_messages={"max_length": "Enter a real postcode, like HS1 2AB"})
    area = forms.CharField(label="Area", required=False, max_length=100,
                           help_text="The part of the council's area it is in, or the town if it is outside",
                           error_messages={"max_length": "Area must be 100 characters or fewer"})
    out_of_area = forms.BooleanField(label="It is outside the council's area", required=False)
    ages_from = _whole_number("Approved for ages from", example="11")
    ages_to = _whole_number("Approved for ages up to", example="17")
    sexes = forms.ChoiceField(label="Approved for", choices=Provider.Sexes.choices, widget=forms.RadioSelect,
                              error_messages={"required": "Select which children it is approved for"})
    places = _whole_number("Number of children approved for")
    vacancies = _whole_number("Vacancies now", example="1")
    mockingbird = forms.ChoiceField(label="Mockingbird", choices=MOCKINGBIRD_CHOICES, widget=forms.RadioSelect,
                                    required=False, help_text="Foster carers only")
    languages = forms.CharField(label="Languages spoken", required=False, max_length=300,
                                help_text="Separate languages with commas, for example Pashto, Dari, English")
    faith = forms.CharField(label="Faith", required=False, max_length=100)
    communities = forms.CharField(label="Communities and cultures", required=False, max_length=300,
                                  help_text="Nationalities or communities the household or staff share, "
                                            "separated with commas")
    needs_met = forms.MultipleChoiceField(label="Needs it can meet", required=False, choices=Need.choices,
                                          widget=forms.CheckboxSelectMultiple)
    cost_per_week = MoneyField(label="Cost per week in pounds", required=False, max_length=15,
                               error_messages={"invalid": "Cost per week must be an amount of money, like 650 or "
                                                          "650.50",
                                               "max_length": "Cost per week must be less than £1,000,000"},
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                             "inputmode": "decimal"}))
    place_type = forms.ChoiceField(
        label="SSDA903 placement type", required=False,
        choices=[("", "The usual type for this kind of provider"),
                 *((c, label) for c, label in PlacementType.choices if c in rules.PROVIDER_PLACE_TYPES)],
        help_text="Usually U6 for foster carers and fostering agencies, K2 for children's homes and the "
                  "intake base, K3 for supported lodgings, flats and supported accommodation")
    place_provider = forms.ChoiceField(
        label="Who runs it (SSDA903 placement provider)", required=False, choices=PLACE_PROVIDER_CHOICES,
        widget=forms.RadioSelect,
        help_text="Council foster carers, supported lodgings, the intake base and flats are always PR1: you can "
                  "leave it blank for them. A children's home or supported accommodation the council runs itself "
                  "is PR1 too")
    active = forms.BooleanField(label="In use: children can be placed here", required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = PartnerAgency.objects.filter(kind=PartnerAgency.Kind.PROVIDER).order_by("name")
        self.fields["partner_agency"].choices = [("", "None"), *((str(a.pk), a.name) for a in agencies)]

    @classmethod
    def initial_for(cls, provider: Provider | None) -> dict[str, Any]:
        if provider is None:
            return {"ages_from": 0, "ages_to": 17, "places": 1, "vacancies": 0, "sexes": Provider.Sexes.ANY,
                    "mockingbird": NO_MOCKINGBIRD, "active": True}
        details = rules.details_of(provider)
        initial = {name: getattr(details, name) for name in details.__dataclass_fields__}
        initial["needs_met"] = list(details.needs_met)
        initial["partner_agency"] = str(details.partner_agency_id) if details.partner_agency_id else ""
        initial["mockingbird"] = details.mockingbird or NO_MOCKINGBIRD
        initial["version"] = provider.version
        return initial

    def details(self) -> rules.ProviderDetails:
        """What was typed, for the service (call after is_valid())."""
        data = self.cleaned_data
        agency = data.get("partner_agency") or ""
        try:
            agency_id = uuid.UUID(agency) if agency else None
        except ValueError:
            agency_id = uuid.UUID(int=0)  # not on the list: the service says so
        mockingbird = data.get("mockingbird") or NO_MOCKINGBIRD
        return rules.ProviderDetails(
            name=data["name"], kind=data["kind"], ofsted_urn=data.get("ofsted_urn", ""),
            registration=data.get("registration", ""), postcode=data.get("postcode", ""),
            area=data.get("area", ""), out_of_area=bool(data.get("out_of_area")), ages_from=data["ages_from"],
            ages_to=data["ages_to"], places=data["places"], vacancies=data["vacancies"], sexes=data["sexes"],
            languages=data.get("languages", ""), faith=data.get("faith", ""),
            communities=data.get("communities", ""), needs_met=tuple(data.get("needs_met") or ()),
            mockingbird="" if mockingbird == NO_MOCKINGBIRD else mockingbird,
            cost_per_week=data.get("cost_per_week") or Decimal("0"), place_type=data.get("place_type", ""),
            place_provider=data.get("place_provider", ""), partner_agency_id=agency_id,
            active=bool(data.get("active")),
        )

    def apply_service_errors(self, error: ValidationError) -> None:
        """Each of the service's errors on its field; a stale form's at the top."""
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields and field != "version" else None, message)


class VacanciesForm(GovukForm):
    vacancies = forms.IntegerField(
        label="Vacancies now", widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter the number of vacancies, like 0 or 2",
                        "invalid": "Vacancies must be a whole number, like 0 or 2"})
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def apply_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error("vacancies" if field == "vacancies" else None, message)


class MatchingSettingsForm(GovukForm):
    language = _whole_number("Language", example="3")
    faith_and_culture = _whole_number("Faith and culture", example="2")
    community_and_distance = _whole_number("Community and distance", example="2")
    needs = _whole_number("Needs the provider can meet", example="3")
    cost = _whole_number("Cost per week", example="1")
    no_answer_hours = _whole_number("Hours a provider has to answer", example="48")
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    HINTS = {
        "language": "Whether the carers or staff speak the child's languages",
        "faith_and_culture": "Whether they share or support the child's faith and culture",
        "community_and_distance": "Whether the child's community is nearby, and whether it is in the area wanted",
        "needs": "How many of the child's needs the provider says it can meet",
        "cost": "How the cost per week compares with the other offers",
        "no_answer_hours": "After this long, a provider that has not answered a request is marked 'no answer'",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, hint in self.HINTS.items():
            self.fields[name].help_text = hint
            self.fields[name].widget.attrs["class"] = "govuk-input--width-3"

    def weights(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in rules.WEIGHT_FIELDS}

    def seen_updated_at(self) -> dt.datetime | None:
        try:
            return dt.datetime.fromisoformat(self.cleaned_data.get("seen") or "")
        except ValueError:
            return None

    def apply_service_errors(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields and field != "seen" else None, message)
