"""The scenario form: every value the forecast assumes, checked by the domain's rules so that the
page, the API and the command line refuse the same input with the same words."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.core.forms import GovukForm
from harbour.domain.forecasting.scenario import LABELS, Scenario, ScenarioError, make_scenario

HINTS = {
    "horizon_years": "From 1 to 10, for example 5",
    "runs": "How many times to run the model, from 1,000 to 20,000. More runs give steadier bands but take longer",
    "seed": "The same seed gives the same answer",
    "child_population": "From the ONS mid-year estimate for the council's area",
    "threshold_percent": "As a percentage of the child population: 0.1 since 24 August 2022",
    "uasc_arrivals_per_year": "Children the National Transfer Scheme sends while the council is below the threshold",
    "spontaneous_uasc_per_year": "Children who arrive in the council's own area, for example at a port",
    "other_entries_per_year": "Children who are not unaccompanied coming into care",
    "percent_supported_to_25": "Of care leavers reaching 21, the percentage who ask for a personal adviser to 25",
}
SUFFIXES = {"threshold_percent": "%", "percent_supported_to_25": "%"}
SCENARIO_FIELDS = tuple(LABELS)


class ScenarioForm(GovukForm):
    horizon_years = forms.CharField(label=LABELS["horizon_years"])
    threshold_percent = forms.CharField(label=LABELS["threshold_percent"])
    child_population = forms.CharField(label=LABELS["child_population"])
    uasc_arrivals_per_year = forms.CharField(label=LABELS["uasc_arrivals_per_year"])
    spontaneous_uasc_per_year = forms.CharField(label=LABELS["spontaneous_uasc_per_year"])
    other_entries_per_year = forms.CharField(label=LABELS["other_entries_per_year"])
    percent_supported_to_25 = forms.CharField(label=LABELS["percent_supported_to_25"])
    runs = forms.CharField(label=LABELS["runs"])
    seed = forms.CharField(label=LABELS["seed"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, bound in self.fields.items():
            bound.required = False  # the domain names what is missing, in GOV.UK words
            bound.help_text = HINTS.get(name, "")
            bound.widget.attrs.update({"class": "govuk-input--width-5", "inputmode": "decimal",
                                       "spellcheck": "false"})
        self.scenario: Scenario | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.scenario = make_scenario({name: cleaned.get(name) for name in SCENARIO_FIELDS})
        except ScenarioError as error:
            for name, message in error.errors.items():
                self.add_error(name if name in self.fields else None, message)
        return cleaned


class SaveScenarioForm(ScenarioForm):
    name = forms.CharField(label="Name for this scenario", max_length=100,
                           error_messages={"required": "Enter a name for the scenario",
                                           "max_length": "Name must be 100 characters or fewer"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = "For example, High arrivals with the threshold at 0.1%"
        self.fields["name"].widget.attrs = {"class": "govuk-input--width-20", "spellcheck": "false"}
