"""The provider directory, vacancies and the matching settings: who may change them, and the changes.

Every write is keyword-only, typed, atomic and audited, and refuses bad input with a
ValidationError keyed by field, in GOV.UK words that name the field and the fix; nothing is
half-saved. A stale form (the record changed since it was opened) is refused, never merged:
`Provider.version` goes up with every change, and a change must say which version it started from.

The rules a provider's record must keep:

* approval for ages 0 to 17, "up to" no lower than "from" (Children Act 1989 s105(1): a child is
  under 18); supported accommodation, and any provider coded K3 (or the retired H5 and P2), for
  16 and 17 year olds only (Supported Accommodation (England) Regulations 2023, SI 2023/416;
  SSDA903 validator rule 371), and registered supported accommodation is always K3;
* no more vacancies than places;
* an Ofsted URN for children's homes, registered supported accommodation and independent
  fostering agencies, which Ofsted registers (Care Standards Act 2000 s11; SSDA903 rule 218 needs
  the URN of a registered setting), and none for placement types that never have one (rule 222);
* the SSDA903 codes from the kind of provider unless chosen: PLACE U6 for foster carers and
  agencies, K2 for children's homes and the intake base, K3 for supported lodgings, flats and
  registered supported accommodation; PLACE_PROVIDER PR1 for the council's own kinds, and for a
  children's home or supported accommodation whoever runs it (PR1 when the council runs it
  itself, which makes it in-house; PR4 private, PR5 voluntary; PR2 another council, PR3 another
  public body); an independent fostering agency is never PR1 (reference 4.3).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from harbour.accounts.models import PartnerAgency, Role, User
from harbour.audit.models import AuditEvent
from harbour.audit.services import record_change, snapshot
from harbour.referrals.services_arrival import clean_postcode

from .codes import (
    NO_URN_TYPES,
    SUPPORTED_ACCOMMODATION_TYPES,
    Need,
    PlacementProviderCode,
    PlacementType,
)
from .models import MatchingSettings, Provider

Kind = Provider.Kind

# --- Who may do what ------------------------------------------------------------------------------

# The placements team and those who commission and manage it keep the directory.
DIRECTORY_EDITORS = frozenset({Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER})
# Everyone on the council's staff who works with children may look providers up; partners (a
# provider sees only its own record) and the system administrator may not.
DIRECTORY_READERS = frozenset(set(Role) - {Role.PARTNER, Role.ADMINISTRATOR})
MATCHING_SETTINGS_READERS = frozenset({Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER})
MATCHING_SETTINGS_EDITORS = frozenset({Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER})


def _role(user: Any) -> Any:
    return getattr(user, "role", None) if getattr(user, "is_active", False) else None


def may_see_directory(user: Any) -> bool:
    return _role(user) in DIRECTORY_READERS


def may_edit_providers(user: Any) -> bool:
    return _role(user) in DIRECTORY_EDITORS


def is_providers_own_user(user: Any, provider: Provider) -> bool:
    """A partner user of the provider's own agency (a placement provider's staff)."""
    return (_role(user) == Role.PARTNER and provider.partner_agency_id is not None
            and getattr(user, "partner_agency_id", None) == provider.partner_agency_id)


def may_see_provider(user: Any, provider: Provider) -> bool:
    return may_see_directory(user) or is_providers_own_user(user, provider)


def may_update_vacancies(user: Any, provider: Provider) -> bool:
    """The placements team, or the provider's own users for their own provider."""
    return may_edit_providers(user) or is_providers_own_user(user, provider)


def may_read_matching_settings(user: Any) -> bool:
    return _role(user) in MATCHING_SETTINGS_READERS


def may_change_matching_settings(user: Any) -> bool:
    return _role(user) in MATCHING_SETTINGS_EDITORS


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- The rules of a provider's record -------------------------------------------------------------

DEFAULT_PLACE_TYPE: dict[str, str] = {
    Kind.FOSTER_CARER: PlacementType.U6,
    Kind.FOSTERING_AGENCY: PlacementType.U6,
    Kind.CHILDRENS_HOME: PlacementType.K2,
    Kind.INTAKE_BASE: PlacementType.K2,
    Kind.SUPPORTED_LODGINGS: PlacementType.K3,
    Kind.SEMI_INDEPENDENT_FLAT: PlacementType.K3,
    Kind.SUPPORTED_ACCOMMODATION: PlacementType.K3,
}
URN_REQUIRED_KINDS = frozenset({Kind.CHILDRENS_HOME, Kind.SUPPORTED_ACCOMMODATION, Kind.FOSTERING_AGENCY})
MOCKINGBIRD_KINDS = frozenset({Kind.FOSTER_CARER, Kind.FOSTERING_AGENCY})
IN_HOUSE_PROVIDER_CODE = PlacementProviderCode.PR1
EXTERNAL_PROVIDER_CODES = (PlacementProviderCode.PR4, PlacementProviderCode.PR5, PlacementProviderCode.PR2,
                           PlacementProviderCode.PR3)
# Types a directory entry may carry: not adoption (A3-A6), placed with parents (P1), temporary
# moves (T0-T4), nor codes retired before 2025-26 (H5, P2, Z1).
PROVIDER_PLACE_TYPES = tuple(code for code in PlacementType.values
                             if code[0] not in {"A", "T"} and code not in {"P1", "H5", "P2", "Z1"})
# Ofsted URNs: 6 to 8 letters and digits ("SC123456", "2654321"; "XXXXXXX" where the return
# allows an unknown URN, reference 4.3).
URN_FORMAT = re.compile(r"^[A-Z0-9]{6,8}$")
OLDEST_CHILD = 17
MOST_PLACES = 999
MOST_COST = Decimal("999999.99")  # the column holds 8 digits, 2 after the point
MAX_LENGTHS = {"name": 200, "registration": 200, "area": 100, "languages": 300, "faith": 100, "communities": 300}
LABELS = {"name": "Provider name", "registration": "Registration", "area": "Area", "languages": "Languages spoken",
          "faith": "Faith", "communities": "Communities and cultures"}

STALE_PROVIDER = ("Someone else changed this provider after you opened the form. Your changes have not been "
                  "saved: check the details as they are now and make your changes again")
MAX_WEIGHT = 10
MOST_NO_ANSWER_HOURS = 168  # a week: beyond that a request has stopped being a search


@dataclass(frozen=True)
class ProviderDetails:
    """Everything a person types about a provider. Blank codes take the usual ones (module docstring)."""

    name: str
    kind: str
    ofsted_urn: str = ""
    registration: str = ""
    postcode: str = ""
    area: str = ""
    out_of_area: bool = False
    ages_from: int = 0
    ages_to: int = OLDEST_CHILD
    places: int = 1
    vacancies: int = 0
    sexes: str = Provider.Sexes.ANY
    languages: str = ""
    faith: str = ""
    communities: str = ""
    needs_met: tuple[str, ...] = field(default_factory=tuple)
    mockingbird: str = ""
    cost_per_week: Decimal = Decimal("0")
    place_type: str = ""
    place_provider: str = ""
    partner_agency_id: uuid.UUID | None = None
    active: bool = True


def details_of(provider: Provider) -> ProviderDetails:
    """A provider's record as the details a form starts from."""
    return ProviderDetails(**{name: (tuple(provider.needs_met or ()) if name == "needs_met" else getattr(provider, name))
                              for name in ProviderDetails.__dataclass_fields__})


def _words(text: str) -> str:
    return " ".join(str(text or "").split())


def _comma_list(text: str) -> str:
    """"Pashto,  dari , pashto" -> "Pashto, dari": one of each, in the order given."""
    seen: dict[str, str] = {}
    for part in str(text or "").split(","):
        item = _words(part)
        if item and item.casefold() not in seen:
            seen[item.casefold()] = item
    return ", ".join(seen.values())


def _age_errors(values: dict[str, Any], kind: str, place_type: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    ages_from, ages_to = values["ages_from"], values["ages_to"]
    if not 0 <= ages_from <= OLDEST_CHILD:
        errors["ages_from"] = "Approved for ages from must be between 0 and 17"
    if not 0 <= ages_to <= OLDEST_CHILD:
        errors["ages_to"] = "Approved for ages up to must be between 0 and 17"
    elif "ages_from" not in errors and ages_to < ages_from:
        errors["ages_to"] = "Approved for ages up to must be the same as or more than approved for ages from"
    supported = kind == Kind.SUPPORTED_ACCOMMODATION or place_type in SUPPORTED_ACCOMMODATION_TYPES
    if supported and "ages_from" not in errors and ages_from < 16:
        what = "Registered supported accommodation" if kind == Kind.SUPPORTED_ACCOMMODATION \
            else f"A provider with placement type {place_type}"
        errors["ages_from"] = f"{what} is for 16 and 17 year olds only: approved for ages from must be 16 or 17"
    return errors


def _place_errors(values: dict[str, Any], kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    places, vacancies = values["places"], values["vacancies"]
    if not 1 <= places <= MOST_PLACES:
        errors["places"] = f"Number of children approved for must be between 1 and {MOST_PLACES}"
    if vacancies < 0:
        errors["vacancies"] = "Vacancies must be 0 or more"
    elif "places" not in errors and vacancies > places:
        errors["vacancies"] = (f"Vacancies must be no more than the number of children approved for ({places})")
    if values["sexes"] not in Provider.Sexes.values:
        errors["sexes"] = "Select which children it is approved for: boys, girls or either"
    if values["mockingbird"] not in Provider.Mockingbird.values:
        errors["mockingbird"] = "Select whether it is a Mockingbird hub or satellite home, or neither"
    elif values["mockingbird"] and kind not in MOCKINGBIRD_KINDS:
        errors["mockingbird"] = "Only foster carers can be a Mockingbird hub or satellite home"
    return errors


def _code_errors(values: dict[str, Any], kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    place_type = values["place_type"]
    if place_type not in PROVIDER_PLACE_TYPES:
        errors["place_type"] = "Select an SSDA903 placement type from the list"
    elif kind == Kind.SUPPORTED_ACCOMMODATION and place_type != PlacementType.K3:
        errors["place_type"] = "Registered supported accommodation must have the SSDA903 placement type K3"
    code = values["place_provider"]
    if kind in Provider.IN_HOUSE_KINDS and code != IN_HOUSE_PROVIDER_CODE:
        errors["place_provider"] = ("This kind of provider is the council's own: its SSDA903 placement provider "
                                    "must be PR1")
    elif not code:
        errors["place_provider"] = ("Select who runs the provider, for example private (PR4), voluntary (PR5) "
                                    "or the council itself (PR1)")
    elif kind == Kind.FOSTERING_AGENCY and code == IN_HOUSE_PROVIDER_CODE:
        errors["place_provider"] = ("An independent fostering agency is not the council's own: select PR4, PR5, "
                                    "PR2 or PR3")
    elif code not in (IN_HOUSE_PROVIDER_CODE, *EXTERNAL_PROVIDER_CODES):
        errors["place_provider"] = "Select who runs the provider from the list"
    urn = values["ofsted_urn"]
    if urn and not URN_FORMAT.match(urn):
        errors["ofsted_urn"] = "Ofsted URN must be 6 to 8 letters and numbers, like SC123456"
    elif not urn and kind in URN_REQUIRED_KINDS:
        errors["ofsted_urn"] = "Enter the Ofsted URN, like SC123456"
    elif urn and place_type in NO_URN_TYPES:
        errors["ofsted_urn"] = f"Leave the Ofsted URN blank: placements of type {place_type} have none"
    return errors


def _text_errors(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not values["name"]:
        errors["name"] = "Enter the provider's name"
    for name, limit in MAX_LENGTHS.items():
        if name not in errors and len(values[name]) > limit:
            errors[name] = f"{LABELS[name]} must be {limit} characters or fewer"
    if any(code not in Need.values for code in values["needs_met"]):
        errors["needs_met"] = "Select the needs it can meet from the list"
    cost = values["cost_per_week"]
    if cost is None:
        errors["cost_per_week"] = "Cost per week must be an amount of money, like 650 or 650.50"
    elif cost < 0:
        errors["cost_per_week"] = "Cost per week must be £0 or more"
    elif cost > MOST_COST:
        errors["cost_per_week"] = "Cost per week must be less than £1,000,000"
    return errors


def _as_money(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").replace("£", "").strip() or "0")
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount.quantize(Decimal("0.01"))


def clean_provider_details(details: ProviderDetails) -> dict[str, Any]:
    """The values to store, tidied and with the usual codes filled in; ValidationError if any breaks
    a rule (every problem at once, keyed by field)."""
    values = asdict(details)
    kind = values["kind"]
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select the kind of provider"})
    values["name"] = _words(values["name"])
    for name in ("registration", "area", "faith"):
        values[name] = _words(values[name])
    for name in ("languages", "communities"):
        values[name] = _comma_list(values[name])
    values["ofsted_urn"] = re.sub(r"\s+", "", str(values["ofsted_urn"] or "")).upper()
    values["needs_met"] = list(dict.fromkeys(values["needs_met"]))
    values["cost_per_week"] = _as_money(values["cost_per_week"])
    values["place_type"] = values["place_type"] or DEFAULT_PLACE_TYPE[kind]
    if not values["place_provider"] and kind in Provider.IN_HOUSE_KINDS:
        values["place_provider"] = IN_HOUSE_PROVIDER_CODE
    # The council's own kinds, and any provider the council runs itself (PR1), are in-house.
    in_house = kind in Provider.IN_HOUSE_KINDS or values["place_provider"] == IN_HOUSE_PROVIDER_CODE
    errors: dict[str, str] = {}
    try:
        values["postcode"] = clean_postcode(values["postcode"] or "")
    except ValidationError:
        errors["postcode"] = "Enter a real postcode, like HS1 2AB"
    errors.update(_text_errors(values))
    errors.update(_age_errors(values, kind, values["place_type"]))
    errors.update(_place_errors(values, kind))
    errors.update(_code_errors(values, kind))
    agency_id = values.pop("partner_agency_id")
    values["partner_agency"] = None
    if agency_id is not None:
        if in_house:
            errors["partner_agency"] = ("Only an outside provider has its own users: leave the provider's "
                                        "agency blank for the council's own")
        else:
            values["partner_agency"] = PartnerAgency.objects.filter(pk=agency_id,
                                                                    kind=PartnerAgency.Kind.PROVIDER).first()
            if values["partner_agency"] is None:
                errors["partner_agency"] = "Select the provider's agency from the list"
    if errors:
        raise ValidationError(errors)
    return values


# --- Writes ---------------------------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *, actor: User, details: ProviderDetails, now: dt.datetime, request_id: str = "", via: str = "web",
) -> Provider:
    """Add a provider to the directory. Its vacancies count as updated now, by the actor."""
    _require(may_edit_providers(actor), "Only placements officers, commissioning officers and team managers "
                                        "may add a provider")
    values = clean_provider_details(details)
    provider = Provider(**values, vacancies_updated_at=now, vacancies_updated_by=actor)
    provider.save()
    record_change(actor=actor, action=AuditEvent.Action.CREATE, instance=provider, child_id=None,
                  request_id=request_id, via=via)
    return provider


def _locked(provider: Provider) -> Provider:
    return Provider.objects.select_for_update().get(pk=provider.pk)


def _save(actor: User, locked: Provider, before: dict[str, Any], request_id: str, via: str) -> Provider:
    locked.version += 1
    locked.save()
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, child_id=None, before=before,
                  request_id=request_id, via=via)
    return locked


@transaction.atomic
def provider_update(
    *, actor: User, provider: Provider, details: ProviderDetails, version: int, now: dt.datetime,
    request_id: str = "", via: str = "web",
) -> Provider:
    """Change a provider's record. ``version`` is the one the form was opened on: if the record has
    changed since, nothing is saved and the error is keyed ``version``."""
    _require(may_edit_providers(actor), "Only placements officers, commissioning officers and team managers "
                                        "may change a provider")
    locked = _locked(provider)
    if locked.version != version:
        raise ValidationError({"version": STALE_PROVIDER})
    values = clean_provider_details(details)
    before = snapshot(locked)
    vacancies_changed = values["vacancies"] != locked.vacancies
    for name, value in values.items():
        setattr(locked, name, value)
    if vacancies_changed:
        locked.vacancies_updated_at, locked.vacancies_updated_by = now, actor
    return _save(actor, locked, before, request_id, via)


@transaction.atomic
def vacancies_update(
    *, actor: User, provider: Provider, vacancies: int, version: int | None, now: dt.datetime,
    request_id: str = "", via: str = "web",
) -> Provider:
    """Record how many vacancies the provider has now, and who said so when (even when the number is
    the same: "still 2 vacancies, checked today" is news). ``version``: the one the page showed;
    None from a system that sends the number alone."""
    _require(may_update_vacancies(actor, provider), "Only the placements team and the provider's own staff "
                                                    "may update its vacancies")
    locked = _locked(provider)
    if version is not None and locked.version != version:
        raise ValidationError({"version": stale_vacancies_message(locked)})
    if vacancies < 0:
        raise ValidationError({"vacancies": "Vacancies must be 0 or more"})
    if vacancies > locked.places:
        raise ValidationError({"vacancies": f"Vacancies must be no more than the number of children approved "
                                            f"for ({locked.places})"})
    before = snapshot(locked)
    locked.vacancies, locked.vacancies_updated_at, locked.vacancies_updated_by = vacancies, now, actor
    return _save(actor, locked, before, request_id, via)


def stale_vacancies_message(provider: Provider) -> str:
    return (f"Someone else updated the vacancies after you opened this page: {provider.name} now has "
            f"{provider.vacancies}. Check the number and update it again if it is wrong")


# --- Matching settings ----------------------------------------------------------------------------

WEIGHT_FIELDS = ("language", "faith_and_culture", "community_and_distance", "needs", "cost")
WEIGHT_LABELS = {"language": "Language", "faith_and_culture": "Faith and culture",
                 "community_and_distance": "Community and distance", "needs": "Needs the provider can meet",
                 "cost": "Cost per week"}
STALE_SETTINGS = ("Someone else changed the matching settings after you opened this page. Your changes have "
                  "not been saved: check the settings as they are now and make your changes again")


@transaction.atomic
def matching_settings_update(
    *, actor: User, weights: dict[str, int], no_answer_hours: int, seen_updated_at: dt.datetime | None,
    request_id: str = "", via: str = "web",
) -> MatchingSettings:
    """Change how much each matching criterion counts (0 to 10; 0 leaves it out) and how long a
    provider has to answer. ``seen_updated_at``: when the settings shown were last changed; a
    later change means the form is stale and nothing is saved (error keyed ``version``)."""
    _require(may_change_matching_settings(actor), "Only team managers and commissioning officers may change "
                                                  "the matching settings")
    MatchingSettings.current()  # the row exists before it is locked
    settings = MatchingSettings.objects.select_for_update().get(pk=1)
    if seen_updated_at is not None and settings.updated_at != seen_updated_at:
        raise ValidationError({"version": STALE_SETTINGS})
    errors: dict[str, str] = {}
    for name in WEIGHT_FIELDS:
        value = weights.get(name)
        if value is None or not 0 <= value <= MAX_WEIGHT:
            errors[name] = f"{WEIGHT_LABELS[name]} must be a whole number from 0 to {MAX_WEIGHT}"
    if not 1 <= no_answer_hours <= MOST_NO_ANSWER_HOURS:
        errors["no_answer_hours"] = f"Hours to answer must be a whole number from 1 to {MOST_NO_ANSWER_HOURS}"
    if errors:
        raise ValidationError(errors)
    before = snapshot(settings)
    for name in WEIGHT_FIELDS:
        setattr(settings, name, weights[name])
    settings.no_answer_hours = no_answer_hours
    settings.updated_by = actor
    settings.save()
    record_change(actor=actor, action=AuditEvent.Action.UPDATE, instance=settings, child_id=None, before=before,
                  request_id=request_id, via=via)
    return settings
