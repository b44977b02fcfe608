"""The API: the same scoping, rules and errors as the pages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from harbour.accounts.models import ApiToken, Role
from harbour.audit.models import AccessLogEntry, AuditEvent

pytestmark = pytest.mark.django_db


def bearer(user) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def worker(make_team, make_user):
    return make_user(Role.SOCIAL_WORKER, team=make_team())


def test_openapi_document_is_published():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/deadlines" in paths and "/api/v1/children/{child_id}" in paths


def test_no_token_no_answer(worker, make_child):
    child = make_child(social_worker=worker)
    assert Client().get(f"/api/v1/children/{child.pk}").status_code == 401


def test_revoked_token_is_refused(worker):
    token, raw = ApiToken.issue(user=worker, name="t")
    token.revoked_at = token.created_at
    token.save()
    assert Client().get("/api/v1/children", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_child_read_is_scoped_and_logged(worker, make_user, make_team, make_child):
    child = make_child(social_worker=worker, given_names="Dawit", family_name="Tesfay")
    other = make_user(Role.SOCIAL_WORKER, team=make_team())
    mine = Client().get(f"/api/v1/children/{child.pk}", **bearer(worker))
    assert mine.status_code == 200 and mine.json()["given_names"] == "Dawit"
    assert AccessLogEntry.objects.filter(child_id=child.pk, user=worker, route="api:get_child").count() == 1
    theirs = Client().get(f"/api/v1/children/{child.pk}", **bearer(other))
    missing = Client().get("/api/v1/children/00000000-0000-0000-0000-000000000000", **bearer(other))
    assert theirs.status_code == missing.status_code == 404
    assert theirs.content == missing.content


def test_search_finds_another_spelling(worker, make_child):
    make_child(social_worker=worker, given_names="Mohammed", family_name="Ahmadi")
    found = Client().get("/api/v1/children?q=Muhammad", **bearer(worker)).json()
    assert [c["full_name"] for c in found] == ["Mohammed Ahmadi"]


def test_partner_sees_only_the_shared_fields(worker, make_user, make_agency, make_child, share_with):
    agency = make_agency()
    nurse = make_user(Role.PARTNER, agency=agency)
    child = make_child(social_worker=worker, religion="SENTINEL-RELIGION", ethnicity="BAFR")
    share_with(child, agency, by=worker)
    body = Client().get(f"/api/v1/children/{child.pk}", **bearer(nurse))
    assert body.status_code == 200
    assert "SENTINEL-RELIGION" not in body.content.decode()
    assert "ethnicity" not in body.json()
    assert Client().get(f"/api/v1/children/{child.pk}/timeline", **bearer(nurse)).status_code == 404


def test_create_child_through_the_api_is_audited(worker):
    payload = {"given_names": "Amanuel", "family_name": "Gebremedhin", "date_of_birth": "2009-05-01",
               "social_worker_id": str(worker.pk), "is_uasc": True}
    response = Client().post("/api/v1/children", json.dumps(payload), content_type="application/json", **bearer(worker))
    assert response.status_code == 201, response.content
    child_id = response.json()["id"]
    assert AuditEvent.objects.filter(child_id=child_id, action="create", via="api").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date_of_birth": "2099-01-01"}, "date_of_birth", "Date of birth must be today or in the past"),
        ({"date_of_birth": "1999-01-01"}, "date_of_birth", "Date of birth must make the child 25 or younger"),
        ({"given_names": "", "family_name": ""}, "given_names", "Enter the child's name"),
        ({"given_names": "Evil\u202eName"}, "given_names", "hidden characters"),
        ({"ethnicity": "XXXX"}, "ethnicity", "SSDA903 code"),
    ],
    ids=["date of birth in the future", "date of birth makes the child 27", "no name at all",
         "bidirectional override in a name", "unknown ethnicity code"],
)
def test_bad_child_gets_422_naming_the_field_and_saves_nothing(worker, change, field, message):
    from harbour.children.models import Child

    payload = {"given_names": "Amanuel", "family_name": "Gebremedhin", "social_worker_id": str(worker.pk), **change}
    response = Client().post("/api/v1/children", json.dumps(payload), content_type="application/json", **bearer(worker))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any(item["loc"][-1] == field and message in item["msg"] for item in detail), detail
    assert Child.unscoped.count() == 0


def test_deadlines_endpoint_matches_the_command_line_format(worker):
    case = {"today": "2026-11-20", "child": {"date_of_birth": "2010-02-14"},
            "events": [{"type": "looked_after", "start": "2026-11-06", "end": None}]}
    response = Client().post("/api/v1/deadlines", json.dumps(case), content_type="application/json", **bearer(worker))
    assert response.status_code == 200
    first_review = next(d for d in response.json()["deadlines"] if d["duty"] == "first_review")
    # 20 working days after Friday 6 November 2026: no bank holidays in between.
    assert first_review == {**first_review, "due": "2026-12-04", "status": "due", "met_on": None}


def test_deadlines_endpoint_names_the_bad_event(worker):
    case = {"today": "2026-11-20", "events": [{"type": "placement", "start": "2026-11-31", "end": None, "long_term": False}]}
    response = Client().post("/api/v1/deadlines", json.dumps(case), content_type="application/json", **bearer(worker))
    assert response.status_code == 422
    assert 'events[0] (placement): "start"' in response.json()["detail"][0]["msg"]


def test_child_deadlines_and_timeline(worker, make_child):
    import datetime as dt

    from harbour.children import services

    child = make_child(social_worker=worker)
    services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 11, 6), end=None, today=dt.date(2026, 11, 20))
    deadlines = Client().get(f"/api/v1/children/{child.pk}/deadlines", **bearer(worker)).json()["deadlines"]
    assert any(d["duty"] == "first_review" and d["due"] == "2026-12-04" for d in deadlines)
    timeline = Client().get(f"/api/v1/children/{child.pk}/timeline?kind=legal", **bearer(worker)).json()
    assert [item["title"] for item in timeline] == ["Became looked after"]
