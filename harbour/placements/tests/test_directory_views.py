"""The directory pages: who may reach them, the filters, adding and changing a provider with the
error summary, stale forms, vacancies for a provider's own staff, the matching settings page, and a
fixed number of queries whatever the number of providers."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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
def seaview_agency(make_agency):
    return make_agency(PartnerAgency.Kind.PROVIDER, name="Seaview Care Ltd")


@pytest.fixture
def seaview(officer, seaview_agency):
    return services.provider_create(actor=officer, details=ProviderDetails(
        name="Seaview House", kind=Provider.Kind.CHILDRENS_HOME, ofsted_urn="SC123456", postcode="HS1 2AB",
        area="Harbourside", ages_from=12, ages_to=17, places=4, vacancies=1, place_provider="PR4",
        languages="English, Arabic", cost_per_week=Decimal("4500"), needs_met=("trauma", "education"),
        partner_agency_id=seaview_agency.pk), now=NOW)


@pytest.fixture
def jones(officer):
    return services.provider_create(actor=officer, details=ProviderDetails(
        name="Jones family", kind=Provider.Kind.FOSTER_CARER, area="Northside", places=2, vacancies=0,
        languages="Pashto, Dari", mockingbird="hub"), now=NOW)


def good_form(**changes: str) -> dict[str, str]:
    form = {"name": "Oak Lodge", "kind": "childrens_home", "ofsted_urn": "SC654321", "postcode": "hs2 3cd",
            "area": "Harbourside", "ages_from": "11", "ages_to": "17", "sexes": "any", "places": "3",
            "vacancies": "2", "mockingbird": "none", "cost_per_week": "£4,200", "place_provider": "PR4",
            "needs_met": ["trauma"], "active": "on"}
    form.update(changes)
    return form


# --- Who may reach the pages ----------------------------------------------------------------------

READERS = [Role.PLACEMENTS_OFFICER, Role.COMMISSIONING_OFFICER, Role.TEAM_MANAGER, Role.TEAM_LEADER,
           Role.SOCIAL_WORKER, Role.DIRECTOR, Role.PERFORMANCE_ANALYST, Role.IRO]


@pytest.mark.parametrize("role", READERS)
def test_staff_see_the_directory_and_a_provider(role, make_user, signed_in, seaview):
    client = signed_in(make_user(role))
    assert client.get("/placements/providers/").status_code == 200
    page = client.get(f"/placements/providers/{seaview.pk}/")
    assert page.status_code == 200 and "SC123456" in page.content.decode()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.PARTNER])
def test_administrators_and_partners_do_not_see_the_directory(role, make_user, signed_in, make_agency, seaview):
    agency = make_agency(PartnerAgency.Kind.PROVIDER) if role == Role.PARTNER else None
    client = signed_in(make_user(role, agency=agency))
    assert client.get("/placements/providers/").status_code == 404
    assert client.get(f"/placements/providers/{seaview.pk}/").status_code == 404


def test_signed_out_goes_to_sign_in(client, seaview):
    response = client.get("/placements/providers/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(("role", "status"), [
    (Role.PLACEMENTS_OFFICER, 200), (Role.COMMISSIONING_OFFICER, 200), (Role.TEAM_MANAGER, 200),
    (Role.TEAM_LEADER, 404), (Role.SOCIAL_WORKER, 404), (Role.DIRECTOR, 404)])
def test_only_the_placements_team_adds_and_changes_providers(role, status, make_user, signed_in, seaview):
    client = signed_in(make_user(role))
    assert client.get("/placements/providers/new/").status_code == status
    assert client.get(f"/placements/providers/{seaview.pk}/change/").status_code == status
    assert client.get(f"/placements/providers/{seaview.pk}/vacancies/").status_code == status
    assert client.post("/placements/providers/new/", good_form()).status_code in {status, 302}
    if status == 404:
        assert Provider.objects.count() == 1


@pytest.mark.parametrize("provider_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_provider_that_is_not_there_is_404(provider_id, officer, signed_in):
    client = signed_in(officer)
    for suffix in ("", "change/", "vacancies/"):
        assert client.get(f"/placements/providers/{provider_id}/{suffix}").status_code == 404


# --- The list and its filters ---------------------------------------------------------------------


def names_listed(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'href="/placements/providers/[0-9a-f-]{36}/">([^<]+)</a>', html)


def test_every_row_shows_what_a_placements_officer_needs(officer, signed_in, seaview, jones):
    html = signed_in(officer).get("/placements/providers/").content.decode()
    assert "2 providers" in html
    assert "Seaview House" in html and "Children&#39;s home" in html
    assert "Ages 12 to 17, 4 children, boys or girls" in html
    assert "English, Arabic" in html and "£4,500" in html
    assert "Updated 20 Nov 2026 by Pip Placer" in html


FILTERS = [
    ("track=in_house", ["Jones family"]),
    ("track=external", ["Seaview House"]),
    ("kind=foster_carer", ["Jones family"]),
    ("area=Harbourside", ["Seaview House"]),
    ("has_vacancy=on", ["Seaview House"]),
    ("name=jones", ["Jones family"]),
    ("name=  SEAVIEW ", ["Seaview House"]),
    ("kind=castle", ["Jones family", "Seaview House"]),
    ("", ["Jones family", "Seaview House"]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS, ids=[q or "no-filter" for q, _ in FILTERS])
def test_filters(query, expected, officer, signed_in, seaview, jones):
    assert names_listed(signed_in(officer).get(f"/placements/providers/?{query}")) == expected


def test_providers_no_longer_used_are_left_out_unless_asked_for(officer, signed_in, seaview, jones):
    Provider.objects.filter(pk=jones.pk).update(active=False)
    client = signed_in(officer)
    assert names_listed(client.get("/placements/providers/")) == ["Seaview House"]
    assert names_listed(client.get("/placements/providers/?include_inactive=on")) == ["Jones family", "Seaview House"]


def test_no_match_says_so(officer, signed_in, seaview):
    html = signed_in(officer).get("/placements/providers/?name=nobody").content.decode()
    assert "No providers match the filters." in html and "Clear filters" in html


def _bulk(n: int, officer, start: int = 0) -> None:
    kinds = list(Provider.Kind.values)
    Provider.objects.bulk_create(
        Provider(name=f"Provider {i:04d}", kind=kinds[i % len(kinds)], area=f"Area {i % 7}", place_type="U6",
                 place_provider="PR4", places=3, vacancies=i % 3, ages_from=0, ages_to=17,
                 languages="English", cost_per_week=Decimal("800"), vacancies_updated_at=NOW,
                 vacancies_updated_by=officer)
        for i in range(start, start + n))


def _count(client, path: str) -> tuple[int, int, str]:
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, len(queries), response.content.decode()


@pytest.mark.parametrize("path", ["/placements/providers/", "/placements/providers/?has_vacancy=on&track=external",
                                  "/placements/providers/?page=3"])
def test_the_directory_keeps_the_same_number_of_queries_for_10_or_1000_providers(path, officer, signed_in):
    client = signed_in(officer)
    _bulk(10, officer)
    small = _count(client, path)
    _bulk(990, officer, start=10)
    large = _count(client, path)
    assert small[0] == large[0] == 200
    assert small[1] == large[1], f"{small[1]} queries for 10 providers, {large[1]} for 1,000"


def test_a_large_directory_is_paged(officer, signed_in):
    _bulk(120, officer)
    client = signed_in(officer)
    html = client.get("/placements/providers/?kind=&page=2").content.decode()
    assert "120 providers" in html and "Showing 51 to 100" in html
    assert 'href="?kind=&amp;page=3"' in html and 'aria-current="page"' in html
    assert len(names_listed(client.get("/placements/providers/?page=3"))) == 20
    assert client.get("/placements/providers/?page=99").status_code == 200  # the last page
    assert client.get("/placements/providers/?page=x").status_code == 200


# --- A provider's page ----------------------------------------------------------------------------


def test_a_providers_page_shows_everything_on_the_record(officer, signed_in, seaview):
    html = signed_in(officer).get(f"/placements/providers/{seaview.pk}/").content.decode()
    for text in ("SC123456", "HS1 2AB", "Harbourside", "Seaview Care Ltd", "Trauma-informed care",
                 "Help into school or college", "K2: children&#39;s home", "PR4: private sector", "£4,500",
                 "Not in a Mockingbird constellation", "Open requests it has been asked on", "1 of 4",
                 f"/placements/providers/{seaview.pk}/change/#id_ofsted_urn"):
        assert text in html, text


def test_a_reader_gets_no_change_links(make_user, signed_in, seaview):
    html = signed_in(make_user(Role.SOCIAL_WORKER)).get(f"/placements/providers/{seaview.pk}/").content.decode()
    assert "/change/" not in html and "/vacancies/" not in html


# --- Adding and changing --------------------------------------------------------------------------


def test_adding_a_provider(officer, signed_in):
    client = signed_in(officer)
    response = client.post("/placements/providers/new/", good_form())
    provider = Provider.objects.get(name="Oak Lodge")
    assert response.status_code == 302 and response["Location"] == f"/placements/providers/{provider.pk}/"
    assert (provider.place_type, provider.place_provider, provider.postcode) == ("K2", "PR4", "HS2 3CD")
    assert provider.cost_per_week == Decimal("4200.00") and provider.needs_met == ["trauma"]
    assert AuditEvent.objects.filter(action="create", record_id=str(provider.pk), actor=officer).count() == 1
    assert "Oak Lodge added to the directory" in client.get(response["Location"]).content.decode()


def test_an_empty_form_gets_the_error_summary_and_422(officer, signed_in):
    response = signed_in(officer).post("/placements/providers/new/", {})
    html = response.content.decode()
    assert response.status_code == 422
    assert "<title>Error: Add a provider" in html and "There is a problem" in html
    for message, anchor in [("Enter the provider&#39;s name", "#id_name"), ("Select the kind of provider", "#id_kind"),
                            ("Enter approved for ages from", "#id_ages_from")]:
        assert message in html and f'href="{anchor}"' in html
    assert Provider.objects.count() == 0


@pytest.mark.parametrize(("changes", "message", "anchor"), [
    ({"ofsted_urn": ""}, "Enter the Ofsted URN, like SC123456", "#id_ofsted_urn"),
    ({"ofsted_urn": "SC-1"}, "Ofsted URN must be 6 to 8 letters and numbers", "#id_ofsted_urn"),
    ({"vacancies": "5"}, "Vacancies must be no more than the number of children approved for (3)", "#id_vacancies"),
    ({"ages_from": "15", "ages_to": "12"}, "must be the same as or more than", "#id_ages_to"),
    ({"kind": "supported_accommodation", "ages_from": "15"}, "for 16 and 17 year olds only", "#id_ages_from"),
    ({"postcode": "nowhere"}, "Enter a real postcode, like HS1 2AB", "#id_postcode"),
    ({"cost_per_week": "lots"}, "Cost per week must be an amount of money", "#id_cost_per_week"),
    ({"ages_from": "eleven"}, "Approved for ages from must be a whole number", "#id_ages_from"),
    ({"place_provider": ""}, "Select who runs the provider", "#id_place_provider"),
], ids=["no-urn", "bad-urn", "vacancies-over-places", "ages-backwards", "supported-under-16", "postcode",
        "cost-not-money", "age-in-words", "no-provider-code"])
def test_bad_input_is_refused_with_the_message_on_its_field(changes, message, anchor, officer, signed_in):
    response = signed_in(officer).post("/placements/providers/new/", good_form(**changes))
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and f'href="{anchor}"' in html
    assert Provider.objects.count() == 0


def test_changing_a_provider(officer, signed_in, seaview):
    client = signed_in(officer)
    form = client.get(f"/placements/providers/{seaview.pk}/change/").content.decode()
    assert 'name="version" value="1"' in form and 'value="SC123456"' in form
    data = good_form(name="Seaview House", ofsted_urn="SC123456", version="1", partner_agency=str(seaview.partner_agency_id))
    response = client.post(f"/placements/providers/{seaview.pk}/change/", data)
    assert response.status_code == 302
    seaview.refresh_from_db()
    assert seaview.version == 2 and seaview.cost_per_week == Decimal("4200.00") and seaview.vacancies == 2
    assert seaview.vacancies_updated_by == officer


def test_a_stale_change_is_refused_with_a_clear_message_and_shows_the_record_as_it_is(officer, signed_in, seaview):
    client = signed_in(officer)
    services.provider_update(actor=officer, provider=seaview, details=services.details_of(seaview).__class__(
        **{**services.details_of(seaview).__dict__, "name": "Seaview House North"}), version=1, now=NOW)
    response = client.post(f"/placements/providers/{seaview.pk}/change/",
                           good_form(name="Seaview", ofsted_urn="SC123456", version="1"))
    html = response.content.decode()
    assert response.status_code == 409
    assert "<title>Error: Change Seaview House North" in html
    assert "Someone else changed this provider after you opened the form" in html
    assert 'value="Seaview House North"' in html and 'name="version" value="2"' in html
    seaview.refresh_from_db()
    assert seaview.name == "Seaview House North"


# --- Vacancies ------------------------------------------------------------------------------------


def test_a_providers_own_staff_update_their_vacancies(seaview, seaview_agency, make_user, signed_in):
    staff = make_user(Role.PARTNER, agency=seaview_agency, first_name="Sally", last_name="Seaview")
    client = signed_in(staff)
    page = client.get(f"/placements/providers/{seaview.pk}/vacancies/")
    assert page.status_code == 200 and "Update vacancies" in page.content.decode()
    response = client.post(f"/placements/providers/{seaview.pk}/vacancies/", {"vacancies": "3", "version": "1"})
    assert response.status_code == 302 and response["Location"] == f"/placements/providers/{seaview.pk}/vacancies/"
    seaview.refresh_from_db()
    assert seaview.vacancies == 3 and seaview.vacancies_updated_by == staff
    html = client.get(response["Location"]).content.decode()
    assert "Vacancies updated: Seaview House has 3 vacancies" in html and "by Sally Seaview" in html
    # Their own provider's page, without the change links; never the directory.
    own = client.get(f"/placements/providers/{seaview.pk}/")
    assert own.status_code == 200 and "/change/" not in own.content.decode()


@pytest.mark.parametrize("who", ["another-provider", "health-partner", "social-worker", "team-leader"])
def test_nobody_else_reaches_a_providers_vacancies(who, seaview, make_user, make_agency, signed_in):
    user = {
        "another-provider": lambda: make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.PROVIDER)),
        "health-partner": lambda: make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.HEALTH)),
        "social-worker": lambda: make_user(Role.SOCIAL_WORKER),
        "team-leader": lambda: make_user(Role.TEAM_LEADER),
    }[who]()
    client = signed_in(user)
    assert client.get(f"/placements/providers/{seaview.pk}/vacancies/").status_code == 404
    assert client.post(f"/placements/providers/{seaview.pk}/vacancies/", {"vacancies": "0"}).status_code == 404
    seaview.refresh_from_db()
    assert seaview.vacancies == 1


def test_vacancies_over_places_are_refused(seaview, officer, signed_in):
    response = signed_in(officer).post(f"/placements/providers/{seaview.pk}/vacancies/", {"vacancies": "9", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 422 and "no more than the number of children approved for (4)" in html
    assert 'href="#id_vacancies"' in html


def test_stale_vacancies_are_refused_and_show_the_number_now(seaview, officer, signed_in):
    services.vacancies_update(actor=officer, provider=seaview, vacancies=2, version=1, now=NOW)
    response = signed_in(officer).post(f"/placements/providers/{seaview.pk}/vacancies/", {"vacancies": "0", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 409 and "Seaview House now has 2" in html and "<title>Error: " in html
    seaview.refresh_from_db()
    assert seaview.vacancies == 2


# --- Matching settings ------------------------------------------------------------------------------


SETTINGS_FORM = {"language": "5", "faith_and_culture": "4", "community_and_distance": "3", "needs": "2", "cost": "0",
                 "no_answer_hours": "24"}


@pytest.mark.parametrize(("role", "get", "may_change"), [
    (Role.TEAM_MANAGER, 200, True), (Role.COMMISSIONING_OFFICER, 200, True), (Role.PLACEMENTS_OFFICER, 200, False),
    (Role.SOCIAL_WORKER, 404, False), (Role.DIRECTOR, 404, False), (Role.PARTNER, 404, False)])
def test_who_reads_and_changes_the_matching_settings(role, get, may_change, make_user, signed_in):
    client = signed_in(make_user(role))
    page = client.get("/placements/settings/")
    assert page.status_code == get
    if get == 200:
        assert ("Save matching settings" in page.content.decode()) is may_change
    posted = client.post("/placements/settings/", SETTINGS_FORM)
    assert posted.status_code == (302 if may_change else 404)
    assert (MatchingSettings.current().language == 5) is may_change


def test_bad_weights_get_the_error_summary(make_user, signed_in):
    client = signed_in(make_user(Role.TEAM_MANAGER))
    response = client.post("/placements/settings/", {**SETTINGS_FORM, "language": "11", "cost": "x"})
    html = response.content.decode()
    assert response.status_code == 422 and "<title>Error: Matching settings" in html
    assert "Cost per week must be a whole number" in html
    response = client.post("/placements/settings/", {**SETTINGS_FORM, "language": "11"})
    assert response.status_code == 422 and "Language must be a whole number from 0 to 10" in response.content.decode()
    assert MatchingSettings.current().language == 3


def test_stale_settings_are_refused(make_user, signed_in):
    manager = make_user(Role.TEAM_MANAGER)
    client = signed_in(manager)
    seen = re.search(r'name="seen" value="([^"]+)"', client.get("/placements/settings/").content.decode()).group(1)
    assert client.post("/placements/settings/", {**SETTINGS_FORM, "seen": seen}).status_code == 302
    response = client.post("/placements/settings/", {**SETTINGS_FORM, "cost": "9", "seen": seen})
    assert response.status_code == 409 and "Someone else changed the matching settings" in response.content.decode()
    assert MatchingSettings.current().cost == 0
