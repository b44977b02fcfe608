"""Placement requests through the API: the whole journey, the 422 shape with the field, scoping,
and a provider's token that sees its own requests' safe fields and nothing else."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from harbour.accounts.models import ApiToken, PartnerAgency, Role
from harbour.audit.models import AccessLogEntry
from harbour.children import services as child_services
from harbour.placements import services_requests as services
from harbour.placements.models import (
    NeedsProfile,
    Placement,
    PlacementRequest,
    Provider,
    RequestRecipient,
)
from harbour.referrals.models import Referral

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
URL = "/api/v1/placement-requests"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def bearer(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


class Api:
    def __init__(self, user: Any) -> None:
        self.client, self.headers = Client(), bearer(user)

    def get(self, path: str) -> Any:
        return self.client.get(f"{URL}{path}", **self.headers)

    def post(self, path: str, payload: dict[str, Any] | None = None) -> Any:
        return self.client.post(f"{URL}{path}", json.dumps(payload or {}), content_type="application/json",
                                **self.headers)


@pytest.fixture
def world(make_team, make_user, make_child, make_agency) -> Any:
    team = make_team()
    worker = make_user(Role.SOCIAL_WORKER, team=team)
    child = make_child(social_worker=worker, date_of_birth=dt.date(2011, 5, 20), sex="M", first_language="Pashto",
                       other_languages="Dari", religion="Muslim", nationality="Afghan", given_names="Dawit",
                       family_name="Tesfay", home_office_reference="HO-1")
    NeedsProfile.objects.create(child=child, needs=["esol"], needs_detail="Private words")
    oak = make_agency(kind=PartnerAgency.Kind.PROVIDER, name="Oak Care Ltd")

    def provider(name: str, kind: str = "foster_carer", **extra: Any) -> Provider:
        defaults = {"place_type": {"supported_accommodation": "K3", "childrens_home": "K2"}.get(kind, "U6"),
                    "place_provider": "PR1" if kind in Provider.IN_HOUSE_KINDS else "PR4", "places": 2,
                    "vacancies": 1, "ages_from": 16 if kind == "supported_accommodation" else 0,
                    "cost_per_week": Decimal("900")}
        defaults.update(extra)
        return Provider.objects.create(name=name, kind=kind, **defaults)

    return type("World", (), {
        "team": team, "worker": worker, "child": child, "oak": oak,
        "officer": make_user(Role.PLACEMENTS_OFFICER), "leader": make_user(Role.TEAM_LEADER, team=team),
        "other_worker": make_user(Role.SOCIAL_WORKER, team=make_team()),
        "oak_user": make_user(Role.PARTNER, agency=oak),
        "carer": provider("Amina and Yusuf Khan", languages="Pashto", faith="Muslim", communities="Afghan"),
        "ifa": provider("Bright Futures Fostering", "fostering_agency", partner_agency=oak,
                        cost_per_week=Decimal("1100")),
        "home": provider("Oak House", "childrens_home", partner_agency=oak, cost_per_week=Decimal("4200")),
        "flats": provider("Step Up Flats", "supported_accommodation"),
    })


def new_request(api: Api, world: Any, **extra: Any) -> Any:
    return api.post("", {"child_id": str(world.child.pk), "needed_from": "2026-11-27", "area_wanted": "Harbourside",
                         "summary_for_providers": "Needs a calm home near a college", **extra})


def test_the_whole_journey_through_the_api(world):
    officer = Api(world.officer)
    created = new_request(officer, world)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["age_years"], body["languages"], body["faith"], body["communities"],
            body["needs"]) == ("draft", 15, "Pashto, Dari", "Muslim", "Afghan", ["esol"])
    request_id = body["id"]
    # Before sending, the not-asked list already says who cannot be asked and why.
    assert [n["provider_name"] for n in body["not_asked"]] == ["Step Up Flats"]

    sent = officer.post(f"/{request_id}/send")
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert body["status"] == "searching"
    assert [r["provider_name"] for r in body["in_house"]] == ["Amina and Yusuf Khan"]
    assert [r["provider_name"] for r in body["external"]] == ["Bright Futures Fostering", "Oak House"]
    assert all(r["answer"] == "waiting" and r["asked_at"] for r in body["in_house"] + body["external"])
    assert body["not_asked"] == [{"provider_id": str(world.flats.pk), "provider_name": "Step Up Flats", "reasons": [
        "Supported accommodation is only for 16 and 17 year olds: the child will be 15 on 27 November 2026",
        "Approved for ages 16 to 17: the child will be 15"]}]

    for provider, extra in ((world.carer, {}), (world.ifa, {"cost_per_week": "1050.00"}), (world.home, {})):
        answered = officer.post(f"/{request_id}/answers", {"provider_id": str(provider.pk), "answer": "offered",
                                                           "available_from": "2026-11-27", **extra})
        assert answered.status_code == 201, answered.content
    ranked = officer.get(f"/{request_id}/offers").json()
    assert [o["provider_name"] for o in ranked] == ["Amina and Yusuf Khan", "Bright Futures Fostering", "Oak House"]
    assert [o["rank"] for o in ranked] == [1, 2, 3]
    best = ranked[0]
    assert [c["criterion"] for c in best["contributions"]] == [
        "Language", "Faith and culture", "Community and distance", "Needs", "Cost per week"]
    assert best["contributions"][0] == {"criterion": "Language", "points": "3.00", "weight": 3,
                                        "words": "Speaks Pashto, the child's first language"}
    assert ranked[1]["cost_per_week"] == "1050.00"

    worker = Api(world.worker)
    viewed = worker.post(f"/offers/{best['id']}/child-view", {"child_view": "They speak Pashto. I want to go."})
    assert viewed.status_code == 200 and viewed.json()[0]["child_view"] == "They speak Pashto. I want to go."

    chosen = officer.post(f"/{request_id}/choice", {"offer_id": best["id"], "chosen_by": "child",
                                                    "reason": "He chose the family who speak Pashto"})
    assert chosen.status_code == 200, chosen.content
    assert (chosen.json()["status"], chosen.json()["chosen_offer_id"]) == ("chosen", best["id"])

    # The placement starts on the day through the placements service, coded for the SSDA903 return.
    child_services.period_looked_after_add(actor=world.worker, child=world.child, start=dt.date(2026, 11, 1),
                                           end=None, today=dt.date(2026, 11, 20))
    placed = officer.post(f"/{request_id}/placement", {"start": "2026-11-28", "long_term": True})
    assert placed.status_code == 422
    assert placed.json() == {"detail": [{"loc": ["body", "start"], "msg": "Start date must be today or in the past"}]}
    placed = officer.post(f"/{request_id}/placement", {"start": "2026-11-20", "long_term": True})
    assert placed.status_code == 201, placed.content
    assert placed.json()["carer_or_provider"] == "Amina and Yusuf Khan"
    assert placed.json()["placement_type"] == "U6"
    assert placed.json()["request"]["status"] == "placed"
    placement = Placement.objects.get(pk=placed.json()["id"])
    assert (placement.child_id, placement.provider, placement.place_provider, placement.long_term,
            placement.cost_per_week) == (world.child.pk, world.carer, "PR1", True, Decimal("900.00"))


@pytest.fixture
def sent(world) -> Any:
    request = services.request_create(actor=world.officer, child=world.child, needed_from=dt.date(2026, 11, 27),
                                      area_wanted="", summary_for_providers="Calm home", now=NOW,
                                      today=dt.date(2026, 11, 20))
    services.request_send(actor=world.officer, request=request, now=NOW, today=dt.date(2026, 11, 20))
    return request


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({"needed_from": "2026-11-01"}, "needed_from", "Date needed must be today or in the future"),
    ({"summary_for_providers": " "}, "summary_for_providers",
     "Enter a summary for providers of what the child needs from a placement"),
    ({"summary_for_providers": "Dawit is kind"}, "summary_for_providers",
     "Summary for providers must not include the child's name, date of birth or references"),
    ({"referral_id": "00000000-0000-0000-0000-000000000000"}, "referral_id",
     "Select an NTS referral for this child, or leave it out"),
], ids=["date-passed", "no-summary", "names-the-child", "unknown-referral"])
def test_a_bad_request_answers_422_with_the_field(world, payload, field, message):
    response = new_request(Api(world.officer), world, **payload)
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", field], "msg": message}]}
    assert not PlacementRequest.objects.exists()


def test_a_malformed_body_answers_422_naming_the_field(world):
    response = Api(world.officer).post("", {"child_id": str(world.child.pk), "needed_from": "soon",
                                            "summary_for_providers": "x"})
    assert response.status_code == 422
    assert any(item["loc"][-1] == "needed_from" for item in response.json()["detail"])


def test_an_offer_from_a_provider_not_asked_answers_422_and_saves_nothing(world, sent):
    stranger = Provider.objects.create(name="Never Asked", kind="foster_carer", place_type="U6", place_provider="PR1",
                                       places=1, vacancies=1)
    response = Api(world.officer).post(f"/{sent.pk}/answers", {"provider_id": str(stranger.pk), "answer": "offered",
                                                                "available_from": "2026-11-27"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", "provider_id"],
                                           "msg": "Never Asked was not asked for this child. Send the request to "
                                                  "them first"}]}
    assert not RequestRecipient.objects.filter(provider=stranger).exists()


def test_a_decline_needs_its_reason(world, sent):
    api = Api(world.officer)
    response = api.post(f"/{sent.pk}/answers", {"provider_id": str(world.home.pk), "answer": "declined"})
    assert response.status_code == 422
    assert response.json() == {"detail": [{"loc": ["body", "decline_reason"],
                                           "msg": "Select why the provider declined"}]}
    assert api.post(f"/{sent.pk}/answers", {"provider_id": str(world.home.pk), "answer": "maybe"}).status_code == 422
    ok = api.post(f"/{sent.pk}/answers", {"provider_id": str(world.home.pk), "answer": "declined",
                                          "decline_reason": "no_vacancy"})
    assert ok.status_code == 201
    assert next(r for r in ok.json()["external"] if r["provider_name"] == "Oak House")["answer"] == "declined"


def test_requests_are_scoped_like_children_and_reads_are_logged(world, sent):
    assert Api(world.other_worker).get(f"/{sent.pk}").status_code == 404
    assert Api(world.officer).get("/not-an-id").status_code == 404
    assert Api(world.worker).get(f"/{sent.pk}").status_code == 200
    assert AccessLogEntry.objects.filter(child_id=world.child.pk, user=world.worker,
                                         route="api:get_placement_request").count() == 1
    assert new_request(Api(world.worker), world).status_code == 403


def test_the_choice_needs_an_offer_of_this_request(world, sent):
    response = Api(world.officer).post(f"/{sent.pk}/choice", {"offer_id": "00000000-0000-0000-0000-000000000000",
                                                              "chosen_by": "child", "reason": "x"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "offer_id"]


def test_a_provider_token_sees_its_own_requests_safe_fields_only(world, sent, make_agency, make_user):
    oak = Api(world.oak_user)
    listed = oak.get("/provider")
    assert listed.status_code == 200
    rows = listed.json()
    assert {row["provider_name"] for row in rows} == {"Bright Futures Fostering", "Oak House"}
    assert set(rows[0]) == {"id", "provider_name", "asked_at", "answer", "answered_at", "status", "open_for_offers",
                            "age_years", "sex", "languages", "needs", "area_wanted",
                            "needed_from", "summary_for_providers", "your_offer"}
    assert rows[0]["needs"] == ["English language support"] and rows[0]["sex"] == "Boy"
    text = listed.content.decode()
    for private in ("Dawit", "Tesfay", "HO-1", "2011", "Private words", str(world.child.pk)):
        assert private not in text
    # Every council endpoint answers a provider's token as missing.
    for path in (f"/{sent.pk}", f"/{sent.pk}/offers"):
        assert oak.get(path).status_code == 404
    for path, payload in ((f"/{sent.pk}/send", {}), (f"/{sent.pk}/answers", {"provider_id": str(world.ifa.pk),
                                                                               "answer": "declined"}),
                          (f"/{sent.pk}/choice", {"offer_id": str(sent.pk), "chosen_by": "child", "reason": "x"}),
                          (f"/{sent.pk}/placement", {"start": "2026-11-27"})):
        assert oak.post(path, payload).status_code == 404
    assert new_request(oak, world).status_code == 404
    # Another provider's token sees none of them; a council token has no provider list.
    elm = Api(make_user(Role.PARTNER, agency=make_agency(kind=PartnerAgency.Kind.PROVIDER, name="Elm")))
    assert elm.get("/provider").json() == []
    assert Api(world.officer).get("/provider").status_code == 404


def test_an_nts_child_not_arrived_is_placed_by_the_arrival(world, sent):
    referral = Referral.objects.create(
        child=world.child, team=world.team, received_at=NOW - dt.timedelta(days=1), referring_authority="Kent",
        nts_reference="NTS-1", transfer_due=dt.date(2026, 11, 27), transfer_working_days=5,
        status=Referral.Status.ACCEPTED, recorded_by=world.leader)
    api = Api(world.officer)
    created = new_request(api, world, referral_id=str(referral.pk))
    assert created.status_code == 201 and created.json()["referral_id"] == str(referral.pk)
    request_id = created.json()["id"]
    api.post(f"/{request_id}/send")
    api.post(f"/{request_id}/answers", {"provider_id": str(world.carer.pk), "answer": "offered",
                                        "available_from": "2026-11-27"})
    offer_id = api.get(f"/{request_id}/offers").json()[0]["id"]
    assert api.post(f"/{request_id}/choice", {"offer_id": offer_id, "chosen_by": "social_worker",
                                              "reason": "Best match"}).status_code == 200
    referral.refresh_from_db()
    assert referral.placement_confirmed_description == "Amina and Yusuf Khan, from 27 November 2026"
    refused = api.post(f"/{request_id}/placement", {"start": "2026-11-27"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "start"]
