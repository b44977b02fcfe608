"""The NTS intake journey through the API alone: referral, duplicates, decision, the form to every
agency, the director's sign-off, allocation by rota, placement and arrival within 5 working days."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.allocation.models import RotaMember, RotaState
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.models import OutboxMessage
from harbour.referrals.funding_rates import load_default_rates
from harbour.referrals.models import DistributionEntry, FormCopy, Referral

# Wednesday 18 November 2026, mid-morning in London.
NOW = dt.datetime(2026, 11, 18, 10, 30, tzinfo=dt.UTC)


def _api(user: Any) -> Client:
    _, raw = ApiToken.issue(user=user, name="flow")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def council(make_team: Any, make_user: Any, make_child: Any) -> dict[str, Any]:
    team = make_team("Children in care team 1")
    other_team = make_team("Children in care team 2")
    leader = make_user(Role.TEAM_LEADER, team=team, email="leader@harbourside.example")
    manager = make_user(Role.TEAM_MANAGER, team=team, email="manager@harbourside.example")
    director = make_user(Role.DIRECTOR)
    workers = [make_user(Role.SOCIAL_WORKER, team=t, caseload_limit=18, first_name=name)
               for t, name in ((team, "Grace"), (other_team, "Yusuf"), (team, "Ama"))]
    for position, worker in enumerate(workers, start=1):
        RotaMember.objects.create(user=worker, position=position, uasc_trained=True)
    RotaState.objects.create(last_position=0)
    for name, kind, email, older in (
        ("Placements team", "placements", "placements@harbourside.example", False),
        ("Children in care health team", "health", "health@harbourside.example", False),
        ("Harbourside Police", "police", "police@harbourside.example", False),
        ("Harbourside MASH", "mash", "mash@harbourside.example", False),
        ("Leaving care team", "leaving_care", "leaving.care@harbourside.example", True),
    ):
        DistributionEntry.objects.create(name=name, kind=kind, email=email, only_for_16_and_over=older)
    load_default_rates()
    known = make_child(social_worker=workers[0], given_names="Mohammed", family_name="Noori",
                       date_of_birth=dt.date(2010, 1, 1), nationality="Afghan", sex="M", is_uasc=True)
    return {"team": team, "leader": leader, "manager": manager, "director": director, "workers": workers, "known": known}


REFERRAL = {
    "received_at": "2026-11-17T15:10:00+00:00",
    "referring_authority": "Home Office NTS team",
    "nts_reference": "NTS-2026-4411",
    "given_names": "Muhammad",
    "family_name": "",
    "names_in_original_script": "محمد",
    "claimed_date_of_birth": "2010-01-01",
    "sex": "M",
    "nationality": "Afghan",
    "first_language": "Dari",
    "interpreter_needed": True,
    "current_location": "Home Office hotel, Dover",
    "current_location_kind": "hotel",
    "age_assessment_status": "not_disputed",
    "health_information": "Scabies treated on arrival",
    "documents_received": ["Home Office referral form", "Port health check"],
}


@time_machine.travel(NOW, tick=False)
def test_the_whole_transfer_through_the_api(council: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    leader = _api(council["leader"])

    duplicates = leader.post("/api/v1/referrals/possible-duplicates", REFERRAL, content_type="application/json")
    assert duplicates.status_code == 200, duplicates.content
    candidates = duplicates.json()["candidates"]
    assert [c["child_id"] for c in candidates] == [str(council["known"].pk)]
    assert any("sounds the same" in r or "the same" in r for r in candidates[0]["reasons"])

    # Not the same child (a different person with a common name): go on and record a new one.
    created = leader.post("/api/v1/referrals", REFERRAL, content_type="application/json")
    assert created.status_code == 201, created.content
    referral = created.json()
    assert referral["transfer_due"] == "2026-11-24"  # 5 working days after Tuesday 17 November
    assert referral["clock"]["text"] == "4 working days left – due Tuesday 24 November 2026"
    rid = referral["id"]

    assert leader.post(f"/api/v1/referrals/{rid}/decision", {"decision": "accept"},
                       content_type="application/json").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        sent = leader.post(f"/api/v1/referrals/{rid}/form", {}, content_type="application/json")
    assert sent.status_code == 200, sent.content
    # The child is 16, so leaving care is told too: every agency, in one action.
    assert sorted(c["agency"] for c in sent.json()) == [
        "Children in care health team", "Harbourside MASH", "Harbourside Police", "Leaving care team", "Placements team"]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "health@harbourside.example", "leaving.care@harbourside.example", "mash@harbourside.example",
        "placements@harbourside.example", "police@harbourside.example"]
    assert all("Scabies" not in m.body and "Muhammad" not in m.body for m in mail.outbox)
    assert OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).count() == 5

    director = _api(council["director"])
    approved = director.post(f"/api/v1/referrals/{rid}/section20-approval", {}, content_type="application/json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["section20_approved_at"] is not None

    proposal = leader.get(f"/api/v1/referrals/{rid}/allocation-proposal").json()
    assert proposal["worker_name"].startswith("Grace")
    allocated = leader.post(f"/api/v1/referrals/{rid}/allocation", {}, content_type="application/json")
    assert allocated.status_code == 201, allocated.content
    assert allocated.json()["worker_id"] == str(council["workers"][0].pk)

    placed = _api(council["manager"]).post(f"/api/v1/referrals/{rid}/placement",
                                            {"description": "Harbourside intake base"}, content_type="application/json")
    assert placed.status_code == 200, placed.content

    arrived = leader.post(f"/api/v1/referrals/{rid}/arrival", {
        "arrived_at": "2026-11-18T09:45:00+00:00", "placement_type": "K2",
        "carer_or_provider": "Harbourside intake base", "postcode": "HB1 2AA",
    }, content_type="application/json")
    assert arrived.status_code == 201, arrived.content
    body = arrived.json()
    assert body["status"] == "arrived"
    assert body["arrival"]["within_deadline"] is True
    assert body["arrival"]["working_days_taken"] == 1
    assert body["clock"]["tag"] == "Transferred in time"
    assert body["funding"]["claim_from"] == "2026-11-18"
    child = Child.unscoped.get(pk=body["child_id"])
    assert PeriodLookedAfter.objects.filter(child=child, start=dt.date(2026, 11, 18), end__isnull=True).exists()
    assert {t["key"]: t["state"] for t in body["tasks"]}["arrival"] == "Completed"


BAD_INPUT = [
    ({"received_at": "2026-11-19T09:00:00+00:00"}, "received_at", "now or in the past", "referral-dated-in-the-future"),
    ({"claimed_date_of_birth": "2001-11-17"}, "claimed_date_of_birth", "under 18", "date-of-birth-makes-the-child-25"),
    ({"home_office_date_of_birth": "2008-11-17"}, "home_office_date_of_birth", "under 18", "18th-birthday-on-the-day-received"),
    ({"claimed_date_of_birth": "2000-05-01"}, "claimed_date_of_birth", "25 or younger", "date-of-birth-makes-the-child-26"),
    ({"nts_reference": ""}, "nts_reference", "Enter the NTS reference", "no-nts-reference"),
    ({"given_names": "", "names_in_original_script": ""}, "given_names", "name", "no-name-at-all"),
]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(("change", "field", "message"), [r[:3] for r in BAD_INPUT], ids=[r[3] for r in BAD_INPUT])
def test_bad_referral_is_refused_with_the_field_and_nothing_saved(
    council: dict[str, Any], change: dict[str, Any], field: str, message: str,
) -> None:
    children_before = Child.unscoped.count()
    answer = _api(council["leader"]).post("/api/v1/referrals", {**REFERRAL, **change}, content_type="application/json")
    assert answer.status_code == 422, answer.content
    errors = {item["loc"][-1]: item["msg"] for item in answer.json()["detail"]}
    assert field in errors and message in errors[field], errors
    assert Referral.objects.count() == 0
    assert Child.unscoped.count() == children_before


@time_machine.travel(NOW, tick=False)
def test_an_unknown_agency_is_refused_and_nothing_sent(council: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    leader = _api(council["leader"])
    rid = leader.post("/api/v1/referrals", REFERRAL, content_type="application/json").json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = leader.post(f"/api/v1/referrals/{rid}/form", {"entry_ids": ["6f1c1d1e-0000-4000-8000-000000000000"]},
                             content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "entries"]
    assert FormCopy.objects.count() == 0 and OutboxMessage.objects.count() == 0 and mail.outbox == []


def test_partners_and_other_teams_cannot_reach_a_referral(council: dict[str, Any], make_user: Any, make_team: Any,
                                                          make_agency: Any) -> None:
    created = _api(council["leader"]).post("/api/v1/referrals", {**REFERRAL, "received_at": timezone.now().isoformat()},
                                           content_type="application/json")
    rid = created.json()["id"]
    outsider = make_user(Role.TEAM_LEADER, team=make_team())
    partner = make_user(Role.PARTNER, agency=make_agency())
    for user in (outsider, partner):
        answer = _api(user).get(f"/api/v1/referrals/{rid}")
        assert answer.status_code == 404
        assert answer.json() == {"detail": [{"loc": [], "msg": "Not found"}]}
    assert _api(partner).get("/api/v1/referrals").status_code == 403
