"""Placements through the API: the same rules as the pages, 422 with the field, scoping."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from harbour.accounts.models import ApiToken, Role
from harbour.children import services as child_services
from harbour.placements.models import NeedsProfile, Placement, Provider

TODAY = dt.date(2026, 11, 20)


def auth(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def worker(make_user: Any, make_team: Any) -> Any:
    return make_user(Role.SOCIAL_WORKER, team=make_team())


@pytest.fixture
def child(make_child: Any, worker: Any) -> Any:
    child = make_child(social_worker=worker, date_of_birth=dt.date(2010, 6, 1))
    child_services.period_looked_after_add(actor=worker, child=child, start=dt.date(2026, 9, 1), end=None,
                                           today=TODAY)
    child_services.legal_status_add(actor=worker, child=child, legal_status="V2", start=dt.date(2026, 9, 1),
                                    end=None, today=TODAY)
    return child


def post(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def put(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def patch(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json", **headers)


def test_start_change_and_read_back_with_coding_and_episodes(worker: Any, child: Any) -> None:
    home = Provider.objects.create(name="Aspire", kind=Provider.Kind.SUPPORTED_ACCOMMODATION, place_type="K3",
                                   place_provider="PR4", ofsted_urn="2654321", postcode="HB5 2XY", places=4,
                                   vacancies=1, ages_from=16, cost_per_week=Decimal("1150"))
    client, headers = Client(), auth(worker)
    started = post(client, f"/api/v1/placements/children/{child.pk}",
                   {"start": "2026-09-01", "placement_type": "U6", "carer_or_provider": "Ms Haile",
                    "postcode": "HB2 1AA", "home_postcode": "HB7 3CD"}, headers)
    assert started.status_code == 201, started.content
    moved = put(client, f"/api/v1/placements/children/{child.pk}/current",
                 {"start": "2026-10-05", "provider_id": str(home.pk), "reason_for_change": "CHILD"}, headers)
    assert moved.status_code == 201, moved.content
    assert {k: moved.json()[k] for k in ("place", "place_provider", "urn", "pl_post", "home_post")} == {
        "place": "K3", "place_provider": "PR4", "urn": "2654321", "pl_post": "HB5 2", "home_post": "HB7 3"}
    record = client.get(f"/api/v1/placements/children/{child.pk}", **headers).json()
    assert [(e["rne"], e["place"], e["reason_place_change"]) for e in record["episodes"]] == [
        ("S", "U6", "CHILD"), ("P", "K3", "")]


def test_bad_input_answers_422_with_the_field_and_saves_nothing(worker: Any, child: Any) -> None:
    answer = post(Client(), f"/api/v1/placements/children/{child.pk}",
                  {"start": "2026-09-01", "placement_type": "Q9", "carer_or_provider": "Quayside"}, auth(worker))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "placement_type"]
    assert not Placement.objects.exists()


def test_ending_before_the_start_is_refused(worker: Any, child: Any) -> None:
    client, headers = Client(), auth(worker)
    post(client, f"/api/v1/placements/children/{child.pk}",
                        {"start": "2026-10-01", "placement_type": "U6", "carer_or_provider": "Ms Haile"},
                        headers).json()["id"]
    answer = patch(client, f"/api/v1/placements/children/{child.pk}/current",
                  {"end": "2026-09-30", "reason_for_change": "CARPL"}, headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "end"]


def test_a_child_outside_the_scope_is_404(make_user: Any, make_team: Any, child: Any) -> None:
    stranger = make_user(Role.SOCIAL_WORKER, team=make_team())
    assert Client().get(f"/api/v1/placements/children/{child.pk}", **auth(stranger)).status_code == 404


def test_the_needs_profile_round_trip(worker: Any, child: Any) -> None:
    client, headers = Client(), auth(worker)
    answer = client.put(f"/api/v1/placements/children/{child.pk}/needs",
                        json.dumps({"needs": ["esol", "trauma"], "needs_detail": "Council only"}),
                        content_type="application/json", **headers)
    assert answer.status_code == 200
    assert NeedsProfile.objects.get(child=child).needs == ["trauma", "esol"]
    bad = client.put(f"/api/v1/placements/children/{child.pk}/needs", json.dumps({"needs": ["astrology"]}),
                     content_type="application/json", **headers)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "needs"]


def test_writes_for_a_child_outside_the_scope_are_404_and_save_nothing(
    make_user: Any, make_team: Any, make_agency: Any, share_with: Any, worker: Any, child: Any,
) -> None:
    stranger = make_user(Role.SOCIAL_WORKER, team=make_team())
    agency = make_agency(kind="provider")
    share_with(child, agency, by=worker)
    provider_user = make_user(Role.PARTNER, agency=agency)
    body = {"start": "2026-09-01", "placement_type": "U6", "carer_or_provider": "Ms Haile"}
    for user in (stranger, provider_user):
        client, headers = Client(), auth(user)
        assert post(client, f"/api/v1/placements/children/{child.pk}", body, headers).status_code == 404
        assert client.get(f"/api/v1/placements/children/{child.pk}/needs", **headers).status_code == 404
    assert not Placement.objects.exists()


def test_readers_may_read_but_not_place(make_user: Any, child: Any) -> None:
    director = make_user(Role.DIRECTOR)
    client, headers = Client(), auth(director)
    assert client.get(f"/api/v1/placements/children/{child.pk}", **headers).status_code == 200
    answer = post(client, f"/api/v1/placements/children/{child.pk}",
                  {"start": "2026-09-01", "placement_type": "U6", "carer_or_provider": "Ms Haile"}, headers)
    assert answer.status_code == 403
    assert not Placement.objects.exists()


def test_a_change_without_a_reason_is_422_on_the_reason(worker: Any, child: Any) -> None:
    client, headers = Client(), auth(worker)
    post(client, f"/api/v1/placements/children/{child.pk}",
         {"start": "2026-09-01", "placement_type": "U6", "carer_or_provider": "Ms Haile"}, headers)
    answer = put(client, f"/api/v1/placements/children/{child.pk}/current",
                  {"start": "2026-10-05", "placement_type": "U6", "carer_or_provider": "Mrs Thompson"}, headers)
    assert answer.status_code == 422
    assert answer.json()["detail"] == [{"loc": ["body", "reason_for_change"], "msg": "Select why the placement changed"}]
    assert Placement.objects.get(child=child).end is None


def test_two_placements_at_once_are_422_on_the_start(worker: Any, child: Any) -> None:
    client, headers = Client(), auth(worker)
    body = {"start": "2026-09-01", "placement_type": "U6", "carer_or_provider": "Ms Haile"}
    assert post(client, f"/api/v1/placements/children/{child.pk}", body, headers).status_code == 201
    answer = post(client, f"/api/v1/placements/children/{child.pk}", {**body, "start": "2026-10-01"}, headers)
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "start"]
    assert "End it first or record a change of placement" in answer.json()["detail"][0]["msg"]


def test_a_provider_not_in_the_directory_is_422(worker: Any, child: Any) -> None:
    answer = post(Client(), f"/api/v1/placements/children/{child.pk}",
                  {"start": "2026-09-01", "provider_id": "00000000-0000-0000-0000-000000000000"}, auth(worker))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "provider_id"]


def test_reads_through_the_api_are_logged(worker: Any, child: Any) -> None:
    from harbour.audit.models import AccessLogEntry

    client, headers = Client(), auth(worker)
    client.get(f"/api/v1/placements/children/{child.pk}", **headers)
    client.get(f"/api/v1/placements/children/{child.pk}/needs", **headers)
    routes = set(AccessLogEntry.objects.filter(child_id=child.pk, user=worker).values_list("route", flat=True))
    assert {"api:child_placements", "api:child_needs"} <= routes
