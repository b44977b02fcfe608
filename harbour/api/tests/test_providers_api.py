"""The provider directory through the API: the same filters, rules and permissions as the pages,
422 naming the field, 409 for a stale version, a provider's token scoped to its own providers, and
the sufficiency figures as JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from harbour.accounts.models import ApiToken, PartnerAgency, Role
from harbour.audit.models import AuditEvent
from harbour.placements import services_directory as services
from harbour.placements.models import Provider
from harbour.placements.selectors_sufficiency import sufficiency_report
from harbour.placements.services_directory import ProviderDetails
from harbour.placements.tests.test_sufficiency_views import build_scenario

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(dt.datetime(2026, 11, 20, 10, 30))


def bearer(user) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def get(user, path: str):
    return Client().get(f"/api/v1/providers{path}", **bearer(user))


def send(user, method: str, path: str, payload: dict):
    return getattr(Client(), method)(f"/api/v1/providers{path}", json.dumps(payload), content_type="application/json",
                                     **bearer(user))


@pytest.fixture
def officer(make_user):
    return make_user(Role.PLACEMENTS_OFFICER, first_name="Pip", last_name="Placer")


@pytest.fixture
def seaview_agency(make_agency):
    return make_agency(PartnerAgency.Kind.PROVIDER, name="Seaview Care Ltd")


@pytest.fixture
def seaview(officer, seaview_agency):
    return services.provider_create(actor=officer, details=ProviderDetails(
        name="Seaview House", kind="childrens_home", ofsted_urn="SC123456", area="Harbourside", ages_from=12,
        places=4, vacancies=1, place_provider="PR4", partner_agency_id=seaview_agency.pk), now=NOW)


@pytest.fixture
def jones(officer):
    return services.provider_create(actor=officer, details=ProviderDetails(
        name="Jones family", kind="foster_carer", area="Northside", places=2), now=NOW)


NEW = {"name": "Oak Lodge", "kind": "childrens_home", "ofsted_urn": "SC654321", "postcode": "HS2 3CD",
       "ages_from": 11, "places": 3, "vacancies": 2, "place_provider": "PR5", "cost_per_week": "4200.50",
       "needs_met": ["trauma"]}


def test_the_directory_is_published_in_the_openapi_document():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/providers", "/api/v1/providers/{provider_id}", "/api/v1/providers/{provider_id}/vacancies",
                 "/api/v1/providers/sufficiency"):
        assert path in paths, path


def test_no_token_no_answer(seaview):
    assert Client().get("/api/v1/providers").status_code == 401


def test_list_and_filters(officer, seaview, jones):
    body = get(officer, "").json()
    assert body["total"] == 2 and [p["name"] for p in body["providers"]] == ["Jones family", "Seaview House"]
    seaview_out = body["providers"][1]
    assert seaview_out["track"] == "external" and seaview_out["kind_label"] == "Children's home"
    assert seaview_out["vacancies_updated_by"] == "Pip Placer" and seaview_out["place_type"] == "K2"
    for query, names in [("?track=in_house", ["Jones family"]), ("?has_vacancy=true", ["Seaview House"]),
                         ("?area=Northside", ["Jones family"]), ("?name=sea", ["Seaview House"]),
                         ("?kind=childrens_home", ["Seaview House"]), ("?limit=1&offset=1", ["Seaview House"])]:
        assert [p["name"] for p in get(officer, query).json()["providers"]] == names, query


def test_the_list_keeps_its_number_of_queries(officer, seaview):
    client = Client(**bearer(officer))
    client.get("/api/v1/providers")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/providers")
    Provider.objects.bulk_create(Provider(name=f"P{i}", kind="foster_carer", place_type="U6", place_provider="PR1",
                                          vacancies_updated_by=officer, vacancies_updated_at=NOW) for i in range(300))
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/providers?limit=500").json()["providers"]) == 301
    assert len(few) == len(many)


def test_bad_list_parameters_are_422(officer):
    response = get(officer, "?limit=0")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "limit"


def test_one_provider_with_its_requests(officer, seaview):
    body = get(officer, f"/{seaview.pk}").json()
    assert body["ofsted_urn"] == "SC123456" and body["requests"] == {"open": 0, "waiting": 0, "offered": 0}
    assert get(officer, "/00000000-0000-0000-0000-000000000000").status_code == 404
    assert get(officer, "/not-an-id").status_code == 404


def test_adding_a_provider_is_audited(officer):
    response = send(officer, "post", "", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["place_type"] == "K2" and body["cost_per_week"] == "4200.50" and body["version"] == 1
    event = AuditEvent.objects.get(action="create", record_id=body["id"])
    assert event.actor == officer and event.via == "api"


BAD = [
    ({"ofsted_urn": ""}, "ofsted_urn", "Enter the Ofsted URN"),
    ({"ofsted_urn": "S"}, "ofsted_urn", "6 to 8 letters and numbers"),
    ({"vacancies": 9}, "vacancies", "no more than the number of children approved for (3)"),
    ({"ages_from": 12, "ages_to": 10}, "ages_to", "the same as or more than"),
    ({"kind": "supported_accommodation", "ages_from": 14}, "ages_from", "16 and 17 year olds only"),
    ({"postcode": "nowhere"}, "postcode", "Enter a real postcode"),
    ({"place_provider": ""}, "place_provider", "Select who runs the provider"),
    ({"kind": "castle"}, "kind", "Select the kind of provider"),
    ({"ages_from": "eleven"}, "ages_from", ""),
    ({"cost_per_week": "-5"}, "cost_per_week", "£0 or more"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD, ids=[f for _, f, _ in BAD])
def test_bad_input_is_422_naming_the_field_and_saves_nothing(officer, change, field, message):
    response = send(officer, "post", "", {**NEW, **change})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(item["loc"][-1] == field and message in item["msg"] for item in detail), detail
    assert Provider.objects.count() == 0


def test_the_agency_field_is_named_as_the_api_names_it(officer, make_agency):
    health = make_agency(PartnerAgency.Kind.HEALTH)
    response = send(officer, "post", "", {**NEW, "partner_agency_id": str(health.pk)})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "partner_agency_id"]


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR, Role.PARTNER])
def test_only_the_placements_team_adds_providers(role, make_user):
    assert send(make_user(role), "post", "", NEW).status_code == 403
    assert Provider.objects.count() == 0


# --- Vacancies and the provider's own token ---------------------------------------------------------


def test_a_providers_token_sees_and_updates_only_its_own(seaview, jones, seaview_agency, make_user, make_agency):
    staff = make_user(Role.PARTNER, agency=seaview_agency)
    listed = get(staff, "").json()
    assert [p["name"] for p in listed["providers"]] == ["Seaview House"]
    assert get(staff, f"/{seaview.pk}").status_code == 200
    assert get(staff, f"/{jones.pk}").status_code == 404
    response = send(staff, "patch", f"/{seaview.pk}/vacancies", {"vacancies": 3, "version": 1})
    assert response.status_code == 200 and response.json()["vacancies"] == 3
    assert response.json()["vacancies_updated_by"] == staff.display_name
    assert send(staff, "patch", f"/{jones.pk}/vacancies", {"vacancies": 1}).status_code == 404
    other = make_user(Role.PARTNER, agency=make_agency(PartnerAgency.Kind.PROVIDER))
    missing = send(other, "patch", "/00000000-0000-0000-0000-000000000000/vacancies", {"vacancies": 1})
    theirs = send(other, "patch", f"/{seaview.pk}/vacancies", {"vacancies": 0})
    assert theirs.status_code == missing.status_code == 404 and theirs.content == missing.content
    assert get(other, "").json()["providers"] == []
    seaview.refresh_from_db()
    assert seaview.vacancies == 3


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_LEADER, Role.DIRECTOR])
def test_staff_outside_the_placements_team_cannot_update_vacancies(role, make_user, seaview):
    assert send(make_user(role), "patch", f"/{seaview.pk}/vacancies", {"vacancies": 0}).status_code == 404


def test_vacancies_bad_and_stale(officer, seaview):
    over = send(officer, "patch", f"/{seaview.pk}/vacancies", {"vacancies": 5})
    assert over.status_code == 422 and over.json()["detail"][0]["loc"] == ["body", "vacancies"]
    typed = send(officer, "patch", f"/{seaview.pk}/vacancies", {"vacancies": "some"})
    assert typed.status_code == 422 and typed.json()["detail"][0]["loc"][-1] == "vacancies"
    assert send(officer, "patch", f"/{seaview.pk}/vacancies", {"vacancies": 2, "version": 1}).status_code == 200
    stale = send(officer, "patch", f"/{seaview.pk}/vacancies", {"vacancies": 0, "version": 1})
    assert stale.status_code == 409 and stale.json()["detail"][0]["loc"] == ["body", "version"]
    assert "now has 2" in stale.json()["detail"][0]["msg"]
    seaview.refresh_from_db()
    assert seaview.vacancies == 2


def test_an_administrator_cannot_list_providers(make_user, seaview):
    assert get(make_user(Role.ADMINISTRATOR), "").status_code == 403


# --- Sufficiency ------------------------------------------------------------------------------------


def test_sufficiency_as_json_has_the_same_figures_as_the_page(make_team, make_user):
    build_scenario(make_team, make_user)
    commissioner = make_user(Role.COMMISSIONING_OFFICER)
    response = get(commissioner, "/sufficiency")
    assert response.status_code == 200
    body = response.json()
    report = sufficiency_report(user=commissioner, today=timezone.localdate())
    assert (body["needing_now"], body["likely_soon"], body["turning_18_within_6_months"]) == (3, 3, 1)
    tables = {t["key"]: t for t in body["tables"]}
    assert list(tables) == ["demand", "needs", "capacity", "gaps", "out_of_area", "cost"]
    for table in report.tables:
        assert tables[table.key]["headline"] == table.headline
        assert tables[table.key]["rows"] == [[str(c) if isinstance(c, Decimal) else c for c in row] for row in table.rows]
    assert "Zzsentinelname" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.PARTNER, Role.ADMINISTRATOR])
def test_sufficiency_is_for_commissioners_and_managers(role, make_user):
    assert get(make_user(role), "/sufficiency").status_code == 403
