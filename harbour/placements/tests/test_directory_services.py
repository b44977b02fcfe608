"""The provider directory's rules: validation, who may change what, the audit, optimistic locking,
vacancies, and the matching settings."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from harbour.accounts.models import PartnerAgency, Role
from harbour.audit.models import AuditEvent
from harbour.placements import services_directory as services
from harbour.placements.models import MatchingSettings, Provider
from harbour.placements.services_directory import ProviderDetails

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 30))


@pytest.fixture
def officer(make_user):
    return make_user(Role.PLACEMENTS_OFFICER, first_name="Pip", last_name="Placer")


@pytest.fixture
def provider_agency(make_agency):
    return make_agency(PartnerAgency.Kind.PROVIDER, name="Seaview Care Ltd")


def home(**changes) -> ProviderDetails:
    """A children's home: the fields an external provider must have."""
    base = ProviderDetails(name="Seaview House", kind=Provider.Kind.CHILDRENS_HOME, ofsted_urn="SC123456",
                           postcode="hs1 2ab", area="Harbourside", ages_from=12, ages_to=17, places=4, vacancies=1,
                           place_provider="PR4", cost_per_week=Decimal("4500"))
    return dataclasses.replace(base, **changes)


def carer(**changes) -> ProviderDetails:
    base = ProviderDetails(name="Jones family", kind=Provider.Kind.FOSTER_CARER, ages_from=0, ages_to=17, places=2,
                           vacancies=1, languages="Pashto, dari,  pashto", mockingbird="satellite")
    return dataclasses.replace(base, **changes)


def errors_of(details: ProviderDetails) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        services.clean_provider_details(details)
    return caught.value.message_dict


# --- Defaults and tidying -------------------------------------------------------------------------

DEFAULT_TYPES = [
    (Provider.Kind.FOSTER_CARER, "U6", "PR1"),
    (Provider.Kind.SUPPORTED_LODGINGS, "K3", "PR1"),
    (Provider.Kind.INTAKE_BASE, "K2", "PR1"),
    (Provider.Kind.SEMI_INDEPENDENT_FLAT, "K3", "PR1"),
]


@pytest.mark.parametrize(("kind", "place_type", "place_provider"), DEFAULT_TYPES, ids=[k for k, *_ in DEFAULT_TYPES])
def test_in_house_codes_default_from_the_kind(kind, place_type, place_provider):
    ages_from = 16 if place_type == "K3" else 0
    values = services.clean_provider_details(carer(kind=kind, mockingbird="", ages_from=ages_from))
    assert (values["place_type"], values["place_provider"]) == (place_type, place_provider)


@pytest.mark.parametrize(("kind", "place_type"), [
    (Provider.Kind.FOSTERING_AGENCY, "U6"), (Provider.Kind.CHILDRENS_HOME, "K2"),
    (Provider.Kind.SUPPORTED_ACCOMMODATION, "K3")])
def test_external_place_type_defaults_from_the_kind(kind, place_type):
    values = services.clean_provider_details(home(kind=kind, ages_from=16))
    assert values["place_type"] == place_type and values["place_provider"] == "PR4"


def test_values_are_tidied():
    values = services.clean_provider_details(carer(name="  Jones   family ", ofsted_urn="sc 123 456",
                                                   communities="Afghan,,  Pashtun , afghan"))
    assert values["name"] == "Jones family"
    assert values["languages"] == "Pashto, dari"
    assert values["communities"] == "Afghan, Pashtun"
    assert values["ofsted_urn"] == "SC123456"
    assert services.clean_provider_details(home())["postcode"] == "HS1 2AB"


# --- Refusals -----------------------------------------------------------------------------------

REFUSALS = [
    (carer(name="  "), "name", "Enter the provider's name", "no-name"),
    (carer(name="x" * 201), "name", "200 characters or fewer", "name-too-long"),
    (carer(kind="castle"), "kind", "Select the kind of provider", "unknown-kind"),
    (carer(ages_from=-1), "ages_from", "between 0 and 17", "age-below-0"),
    (carer(ages_to=18), "ages_to", "between 0 and 17", "age-18-is-an-adult"),
    (carer(ages_from=12, ages_to=11), "ages_to", "the same as or more than approved for ages from", "range-backwards"),
    (home(kind=Provider.Kind.SUPPORTED_ACCOMMODATION, ages_from=15), "ages_from",
     "Registered supported accommodation is for 16 and 17 year olds only", "supported-accommodation-at-15"),
    (carer(kind=Provider.Kind.SUPPORTED_LODGINGS, mockingbird="", ages_from=14), "ages_from",
     "placement type K3 is for 16 and 17 year olds only", "k3-lodgings-at-14"),
    (home(kind=Provider.Kind.SUPPORTED_ACCOMMODATION, ages_from=16, place_type="K2"), "place_type",
     "must have the SSDA903 placement type K3", "supported-accommodation-must-be-k3"),
    (carer(places=0), "places", "between 1 and 999", "no-places"),
    (carer(places=2, vacancies=3), "vacancies", "no more than the number of children approved for (2)",
     "more-vacancies-than-places"),
    (carer(vacancies=-1), "vacancies", "0 or more", "negative-vacancies"),
    (home(ofsted_urn=""), "ofsted_urn", "Enter the Ofsted URN, like SC123456", "childrens-home-without-urn"),
    (home(kind=Provider.Kind.FOSTERING_AGENCY, ofsted_urn=""), "ofsted_urn", "Enter the Ofsted URN", "ifa-without-urn"),
    (home(kind=Provider.Kind.SUPPORTED_ACCOMMODATION, ages_from=16, ofsted_urn=""), "ofsted_urn",
     "Enter the Ofsted URN", "supported-accommodation-without-urn"),
    (home(ofsted_urn="SC12"), "ofsted_urn", "6 to 8 letters and numbers", "urn-too-short"),
    (home(ofsted_urn="SC1234567"), "ofsted_urn", "6 to 8 letters and numbers", "urn-too-long"),
    (home(ofsted_urn="SC-12345"), "ofsted_urn", "6 to 8 letters and numbers", "urn-with-a-hyphen"),
    (home(place_type="R5"), "ofsted_urn", "Leave the Ofsted URN blank: placements of type R5 have none",
     "urn-for-a-type-that-has-none"),
    (home(postcode="not a postcode"), "postcode", "Enter a real postcode, like HS1 2AB", "bad-postcode"),
    (home(place_provider=""), "place_provider", "Select who runs the provider, for example private (PR4)",
     "childrens-home-without-who-runs-it"),
    (home(kind=Provider.Kind.FOSTERING_AGENCY, place_provider="PR1"), "place_provider",
     "An independent fostering agency is not the council's own", "independent-agency-coded-as-own"),
    (home(place_provider="PR0"), "place_provider", "from the list", "parent-code-for-a-home"),
    (carer(place_provider="PR4"), "place_provider", "must be PR1", "in-house-coded-private"),
    (home(place_type="T4"), "place_type", "Select an SSDA903 placement type from the list", "temporary-type"),
    (carer(sexes="X"), "sexes", "boys, girls or either", "unknown-sex"),
    (home(mockingbird="hub"), "mockingbird", "Only foster carers", "mockingbird-childrens-home"),
    (carer(mockingbird="moon"), "mockingbird", "hub or satellite", "unknown-mockingbird"),
    (carer(needs_met=("health", "flying")), "needs_met", "from the list", "unknown-need"),
    (carer(cost_per_week=Decimal("-1")), "cost_per_week", "£0 or more", "negative-cost"),
    (carer(cost_per_week=Decimal("1000000")), "cost_per_week", "less than £1,000,000", "cost-too-big"),
    (carer(cost_per_week=Decimal("10.005")), "cost_per_week", "an amount of money", "fractions-of-a-penny"),
    (carer(languages="x" * 301), "languages", "Languages spoken must be 300 characters or fewer", "languages-too-long"),
]


@pytest.mark.parametrize(("details", "field", "message"), [r[:3] for r in REFUSALS], ids=[r[3] for r in REFUSALS])
def test_bad_details_are_refused_naming_the_field(details, field, message):
    errors = errors_of(details)
    assert field in errors, errors
    assert message in errors[field][0]


def test_every_problem_is_reported_at_once():
    errors = errors_of(home(name="", ofsted_urn="", postcode="nope", ages_from=12, ages_to=10, place_provider=""))
    assert {"name", "ofsted_urn", "postcode", "ages_to", "place_provider"} <= set(errors)


def test_the_provider_agency_is_for_outside_providers_only(provider_agency, make_agency):
    assert services.clean_provider_details(home(partner_agency_id=provider_agency.pk))["partner_agency"] == provider_agency
    assert "Only an outside provider" in errors_of(carer(partner_agency_id=provider_agency.pk))["partner_agency"][0]
    health = make_agency(PartnerAgency.Kind.HEALTH)
    assert "from the list" in errors_of(home(partner_agency_id=health.pk))["partner_agency"][0]


def test_a_childrens_home_the_council_runs_is_in_house_and_has_no_agency_of_its_own(provider_agency, officer):
    provider = services.provider_create(actor=officer, details=home(place_provider="PR1"), now=NOW)
    assert provider.track == "in_house"
    errors = errors_of(home(place_provider="PR1", partner_agency_id=provider_agency.pk))
    assert "Only an outside provider has its own users" in errors["partner_agency"][0]


def test_an_unknown_urn_may_be_given_as_the_return_allows():
    assert services.clean_provider_details(home(ofsted_urn="XXXXXXX"))["ofsted_urn"] == "XXXXXXX"


# --- Adding and changing ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER])
def test_the_placements_team_may_add_a_provider_and_it_is_audited(role, make_user):
    actor = make_user(role)
    provider = services.provider_create(actor=actor, details=home(), now=NOW, request_id="req-1234567")
    assert provider.version == 1 and provider.vacancies_updated_at == NOW and provider.vacancies_updated_by == actor
    event = AuditEvent.objects.get(record_type="placements.Provider", record_id=str(provider.pk))
    assert event.action == "create" and event.actor == actor and event.child_id is None
    assert event.request_id == "req-1234567" and event.changes["ofsted_urn"] == [None, "SC123456"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST,
                                  Role.PARTNER, Role.ADMINISTRATOR])
def test_others_may_not_add_a_provider(role, make_user):
    with pytest.raises(PermissionDenied):
        services.provider_create(actor=make_user(role), details=home(), now=NOW)
    assert Provider.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_refused_provider_saves_nothing(officer):
    with pytest.raises(ValidationError):
        services.provider_create(actor=officer, details=home(ofsted_urn=""), now=NOW)
    assert Provider.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_a_change_is_audited_with_before_and_after(officer, make_user):
    provider = services.provider_create(actor=officer, details=home(), now=NOW)
    manager = make_user(Role.TEAM_MANAGER)
    later = NOW + dt.timedelta(hours=2)
    changed = services.provider_update(actor=manager, provider=provider, details=home(cost_per_week=Decimal("4750")),
                                       version=1, now=later)
    assert changed.version == 2 and changed.cost_per_week == Decimal("4750")
    assert changed.vacancies_updated_at == NOW and changed.vacancies_updated_by == officer  # vacancies unchanged
    event = AuditEvent.objects.get(action="update", record_id=str(provider.pk))
    assert event.actor == manager and event.changes == {"cost_per_week": ["4500.00", "4750.00"]}


def test_changing_the_vacancies_on_the_form_records_who_and_when(officer, make_user):
    provider = services.provider_create(actor=officer, details=home(), now=NOW)
    manager = make_user(Role.TEAM_MANAGER)
    later = NOW + dt.timedelta(days=1)
    changed = services.provider_update(actor=manager, provider=provider, details=home(vacancies=2), version=1, now=later)
    assert (changed.vacancies, changed.vacancies_updated_at, changed.vacancies_updated_by) == (2, later, manager)


def test_a_stale_form_is_refused_and_nothing_is_overwritten(officer, make_user):
    provider = services.provider_create(actor=officer, details=home(), now=NOW)
    first = Provider.objects.get(pk=provider.pk)
    second = Provider.objects.get(pk=provider.pk)
    services.provider_update(actor=officer, provider=first, details=home(name="Seaview House (north)"), version=1,
                             now=NOW)
    with pytest.raises(ValidationError) as caught:
        services.provider_update(actor=officer, provider=second, details=home(name="Seaview"), version=1, now=NOW)
    assert "Someone else changed this provider" in caught.value.message_dict["version"][0]
    provider.refresh_from_db()
    assert provider.name == "Seaview House (north)" and provider.version == 2
    assert AuditEvent.objects.filter(action="update").count() == 1


def test_others_may_not_change_a_provider(officer, make_user):
    provider = services.provider_create(actor=officer, details=home(), now=NOW)
    with pytest.raises(PermissionDenied):
        services.provider_update(actor=make_user(Role.SOCIAL_WORKER), provider=provider, details=home(name="X"),
                                 version=1, now=NOW)


# --- Vacancies ------------------------------------------------------------------------------------


@pytest.fixture
def seaview(officer, provider_agency):
    return services.provider_create(actor=officer, details=home(partner_agency_id=provider_agency.pk), now=NOW)


def test_the_providers_own_staff_update_their_vacancies(seaview, provider_agency, make_user):
    staff = make_user(Role.PARTNER, agency=provider_agency)
    later = NOW + dt.timedelta(hours=3)
    updated = services.vacancies_update(actor=staff, provider=seaview, vacancies=3, version=1, now=later,
                                        via="web")
    assert (updated.vacancies, updated.vacancies_updated_at, updated.vacancies_updated_by) == (3, later, staff)
    assert updated.version == 2
    event = AuditEvent.objects.get(action="update", record_id=str(seaview.pk))
    assert event.actor == staff and event.changes["vacancies"] == [1, 3]


def test_the_same_number_again_still_records_that_it_was_checked(seaview, officer):
    later = NOW + dt.timedelta(days=2)
    updated = services.vacancies_update(actor=officer, provider=seaview, vacancies=1, version=None, now=later)
    assert updated.vacancies_updated_at == later


@pytest.mark.parametrize("who", ["other-provider", "health-partner", "social-worker", "partner-without-agency"])
def test_nobody_else_updates_a_providers_vacancies(who, seaview, make_user, make_agency):
    actor = {
        "other-provider": lambda: make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.PROVIDER)),
        "health-partner": lambda: make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.HEALTH)),
        "social-worker": lambda: make_user(Role.SOCIAL_WORKER),
        "partner-without-agency": lambda: make_user(Role.PARTNER),
    }[who]()
    with pytest.raises(PermissionDenied):
        services.vacancies_update(actor=actor, provider=seaview, vacancies=0, version=1, now=NOW)
    seaview.refresh_from_db()
    assert seaview.vacancies == 1 and seaview.version == 1


def test_a_provider_with_no_agency_has_no_own_staff(officer, make_user, make_agency):
    provider = services.provider_create(actor=officer, details=home(), now=NOW)
    stranger = make_user(Role.PARTNER, agency=None)
    assert not services.may_update_vacancies(stranger, provider)


@pytest.mark.parametrize(("vacancies", "message"), [(-1, "0 or more"), (5, "no more than the number of children approved for (4)")])
def test_impossible_vacancies_are_refused(seaview, officer, vacancies, message):
    with pytest.raises(ValidationError) as caught:
        services.vacancies_update(actor=officer, provider=seaview, vacancies=vacancies, version=1, now=NOW)
    assert message in caught.value.message_dict["vacancies"][0]
    seaview.refresh_from_db()
    assert seaview.vacancies == 1


def test_stale_vacancies_are_refused_with_the_number_now(seaview, officer):
    services.vacancies_update(actor=officer, provider=seaview, vacancies=2, version=1, now=NOW)
    with pytest.raises(ValidationError) as caught:
        services.vacancies_update(actor=officer, provider=seaview, vacancies=0, version=1, now=NOW)
    assert "Seaview House now has 2" in caught.value.message_dict["version"][0]


# --- Matching settings ------------------------------------------------------------------------------

WEIGHTS = {"language": 5, "faith_and_culture": 4, "community_and_distance": 3, "needs": 2, "cost": 0}


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.COMMISSIONING_OFFICER])
def test_managers_and_commissioners_change_the_weights_and_it_is_audited(role, make_user):
    actor = make_user(role)
    settings = services.matching_settings_update(actor=actor, weights=WEIGHTS, no_answer_hours=24, seen_updated_at=None)
    assert (settings.language, settings.cost, settings.no_answer_hours, settings.updated_by) == (5, 0, 24, actor)
    event = AuditEvent.objects.get(record_type="placements.MatchingSettings")
    assert event.changes["language"] == [3, 5] and event.changes["no_answer_hours"] == [48, 24]


@pytest.mark.parametrize("role", [Role.PLACEMENTS_OFFICER, Role.SOCIAL_WORKER, Role.DIRECTOR])
def test_others_may_not_change_the_weights(role, make_user):
    with pytest.raises(PermissionDenied):
        services.matching_settings_update(actor=make_user(role), weights=WEIGHTS, no_answer_hours=24,
                                          seen_updated_at=None)


@pytest.mark.parametrize(("change", "field"), [({"language": 11}, "language"), ({"cost": -1}, "cost")])
def test_weights_are_0_to_10(make_user, change, field):
    with pytest.raises(ValidationError) as caught:
        services.matching_settings_update(actor=make_user(Role.TEAM_MANAGER), weights={**WEIGHTS, **change},
                                          no_answer_hours=24, seen_updated_at=None)
    assert "from 0 to 10" in caught.value.message_dict[field][0]
    assert MatchingSettings.current().language == 3


@pytest.mark.parametrize("hours", [0, 169])
def test_hours_to_answer_are_1_to_168(make_user, hours):
    with pytest.raises(ValidationError) as caught:
        services.matching_settings_update(actor=make_user(Role.TEAM_MANAGER), weights=WEIGHTS, no_answer_hours=hours,
                                          seen_updated_at=None)
    assert "from 1 to 168" in caught.value.message_dict["no_answer_hours"][0]


def test_stale_settings_are_refused(make_user):
    manager = make_user(Role.TEAM_MANAGER)
    seen = MatchingSettings.current().updated_at
    services.matching_settings_update(actor=manager, weights=WEIGHTS, no_answer_hours=24, seen_updated_at=seen)
    with pytest.raises(ValidationError) as caught:
        services.matching_settings_update(actor=manager, weights={**WEIGHTS, "cost": 9}, no_answer_hours=24,
                                          seen_updated_at=seen)
    assert "Someone else changed the matching settings" in caught.value.message_dict["version"][0]
    assert MatchingSettings.current().cost == 0
