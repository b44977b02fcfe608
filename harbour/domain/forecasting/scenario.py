"""A forecast scenario: what the user assumes about arrivals, the NTS threshold and support to 25,
checked so that bad input is refused with the field and the fix named."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation
from typing import Any

# The NTS threshold: 0.1% of the council's child population since 24 August 2022
# (reference.md 1.1 and 1.2 [primary: gov.uk news]; harbour.domain.nts).
DEFAULT_THRESHOLD_PERCENT = Decimal("0.1")
MIN_RUNS = 1_000  # the issue asks for at least 1,000 runs to draw the band
MAX_RUNS = 20_000
MAX_HORIZON_YEARS = 10
PRESETS = ("low", "central", "high")
# How a preset moves the arrivals learnt from the history: fewer or more unaccompanied children,
# and slightly fewer or more other entries into care.
PRESET_FACTORS = {"low": (Decimal("0.5"), Decimal("0.9")), "central": (Decimal(1), Decimal(1)),
                  "high": (Decimal("1.5"), Decimal("1.1"))}


class ScenarioError(ValueError):
    """Bad scenario input: ``errors`` maps each field to a message saying what to fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Scenario:
    """Everything a forecast run assumes. Rates are a year; percentages are out of 100."""

    horizon_years: int
    runs: int
    seed: int
    child_population: int
    threshold_percent: Decimal
    uasc_arrivals_per_year: Decimal  # NTS transfers while the council is below the threshold
    spontaneous_uasc_per_year: Decimal  # children who arrive in the council's own area, whatever the threshold
    other_entries_per_year: Decimal
    percent_supported_to_25: Decimal  # of care leavers reaching 21 who ask for support to 25

    @property
    def threshold_count(self) -> Decimal:
        """The number of looked-after UASC at which the council stops being directed to take transfers."""
        return Decimal(self.child_population) * self.threshold_percent / 100


LABELS = {
    "horizon_years": "Years to forecast",
    "runs": "Number of runs",
    "seed": "Seed",
    "child_population": "Children aged 0 to 17 in the council's area",
    "threshold_percent": "NTS threshold",
    "uasc_arrivals_per_year": "Unaccompanied children transferred a year",
    "spontaneous_uasc_per_year": "Unaccompanied children arriving in the area a year",
    "other_entries_per_year": "Other children entering care a year",
    "percent_supported_to_25": "Care leavers asking for support to 25",
}


def _whole(value: Any, name: str, low: int, high: int, errors: dict[str, str], hint: str) -> int:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[name] = f"{LABELS[name]} must be a whole number, like {hint}"
        return 0
    if number != number.to_integral_value():
        errors[name] = f"{LABELS[name]} must be a whole number, like {hint}"
        return 0
    if not low <= number <= high:
        errors[name] = f"{LABELS[name]} must be between {low:,} and {high:,}"
        return 0
    return int(number)


def _amount(value: Any, name: str, errors: dict[str, str], *, high: Decimal | None = None,
            positive: bool = False, unit: str = "") -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[name] = f"{LABELS[name]} must be a number, like 12 or 12.5"
        return Decimal(0)
    if not number.is_finite():
        errors[name] = f"{LABELS[name]} must be a number, like 12 or 12.5"
    elif number < 0 or (positive and number == 0):
        errors[name] = f"{LABELS[name]} must be {'more than 0' if positive else '0 or more'}{unit}"
    elif high is not None and number > high:
        errors[name] = f"{LABELS[name]} must be {high}{unit} or less"
    return number


def make_scenario(values: dict[str, Any]) -> Scenario:
    """A checked scenario from plain values (form, API or command line); ScenarioError if any is bad.

    Every field is checked, so that the user sees every mistake at once.
    """
    missing = [f.name for f in fields(Scenario) if values.get(f.name) in (None, "")]
    errors: dict[str, str] = {name: f"Enter {LABELS[name].lower()}" for name in missing}
    given = {name: value for name, value in values.items() if name not in missing}
    checked: dict[str, Any] = {}
    if "horizon_years" in given:
        checked["horizon_years"] = _whole(given["horizon_years"], "horizon_years", 1, MAX_HORIZON_YEARS, errors, "5")
    if "runs" in given:
        checked["runs"] = _whole(given["runs"], "runs", MIN_RUNS, MAX_RUNS, errors, "1000")
    if "seed" in given:
        checked["seed"] = _whole(given["seed"], "seed", 0, 2**32 - 1, errors, "2026")
    if "child_population" in given:
        checked["child_population"] = _whole(given["child_population"], "child_population", 0, 10_000_000, errors,
                                             "60000")
    if "threshold_percent" in given:
        checked["threshold_percent"] = _amount(given["threshold_percent"], "threshold_percent", errors,
                                               high=Decimal(100), positive=True, unit="%")
    for name in ("uasc_arrivals_per_year", "spontaneous_uasc_per_year", "other_entries_per_year"):
        if name in given:
            checked[name] = _amount(given[name], name, errors, high=Decimal(100_000))
    if "percent_supported_to_25" in given:
        checked["percent_supported_to_25"] = _amount(given["percent_supported_to_25"], "percent_supported_to_25",
                                                     errors, high=Decimal(100), unit="%")
    if errors:
        raise ScenarioError({name: errors[name] for name in LABELS if name in errors})
    return Scenario(**checked)


def preset(name: str, *, learnt: Scenario) -> Scenario:
    """The low, central or high scenario: the arrivals learnt from the history, moved by the preset's factors."""
    if name not in PRESET_FACTORS:
        raise ScenarioError({"scenario": f"Scenario must be one of {', '.join(PRESETS)}"})
    uasc, other = PRESET_FACTORS[name]
    return replace(learnt, uasc_arrivals_per_year=(learnt.uasc_arrivals_per_year * uasc).quantize(Decimal("0.1")),
                   spontaneous_uasc_per_year=(learnt.spontaneous_uasc_per_year * uasc).quantize(Decimal("0.1")),
                   other_entries_per_year=(learnt.other_entries_per_year * other).quantize(Decimal("0.1")))


def scenario_as_dict(scenario: Scenario) -> dict[str, Any]:
    """Plain JSON values: whole numbers as int, amounts as strings so nothing is rounded."""
    return {f.name: (str(v) if isinstance(v := getattr(scenario, f.name), Decimal) else v) for f in fields(Scenario)}
