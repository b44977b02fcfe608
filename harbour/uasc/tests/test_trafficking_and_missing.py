"""NRM referrals and missing episodes: recorded on the pages and through the API, decisions in order,
bad dates refused with the field named and nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from harbour.accounts.models import ApiToken
from harbour.core.calendar import council_calendar
from harbour.domain.trafficking import reasonable_grounds_due, recovery_period_ends
from harbour.uasc.models import MissingEpisode, NrmReferral

from .conftest import date_fields


def _bearer(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_an_nrm_referral_and_its_decisions_through_the_api(worker: Any, young_person: Any, today: dt.date) -> None:
    child = young_person(age_days=16 * 365)
    referred = today - dt.timedelta(days=60)
    auth, url = _bearer(worker), f"/api/v1/uasc/children/{child.pk}/nrm-referrals"
    created = Client().post(url, {"referred_on": referred.isoformat(), "safety_plan": "No phone contact with X"},
                            content_type="application/json", **auth)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["reasonable_grounds_due"] == reasonable_grounds_due(referred, council_calendar()).isoformat()
    # A conclusive decision before a positive reasonable-grounds one is refused.
    early = Client().put(f"/api/v1/uasc/nrm-referrals/{body['id']}", {"referred_on": referred.isoformat(), "conclusive_grounds": "positive",
                                                 "conclusive_grounds_on": today.isoformat()},
                         content_type="application/json", **auth)
    assert early.status_code == 422
    assert early.json()["detail"][0]["loc"] == ["body", "conclusive_grounds"]
    positive = referred + dt.timedelta(days=6)
    updated = Client().put(f"/api/v1/uasc/nrm-referrals/{body['id']}", {"referred_on": referred.isoformat(), "reasonable_grounds": "positive",
                                                   "reasonable_grounds_on": positive.isoformat()},
                           content_type="application/json", **auth)
    assert updated.status_code == 200
    assert updated.json()["recovery_period_ends"] == recovery_period_ends(positive).isoformat()
    assert NrmReferral.objects.get().reasonable_grounds == "positive"


def test_a_referral_outside_scope_answers_404_by_its_own_id(worker: Any, make_user: Any, young_person: Any,
                                                            signed_in: Any, today: dt.date) -> None:
    child = young_person(age_days=16 * 365)
    referral = NrmReferral.objects.create(child=child, referred_on=today, updated_by=worker)
    stranger = make_user()
    payload = {"referred_on": today.isoformat(), "safety_plan": "Changed"}
    assert Client().put(f"/api/v1/uasc/nrm-referrals/{referral.pk}", payload, content_type="application/json",
                        **_bearer(stranger)).status_code == 404
    assert Client().put("/api/v1/uasc/nrm-referrals/999999", payload, content_type="application/json",
                        **_bearer(worker)).status_code == 404
    assert signed_in(stranger).get(f"/uasc/nrm-referrals/{referral.pk}/").status_code == 404
    assert signed_in(worker).get(f"/uasc/nrm-referrals/{referral.pk}/").status_code == 200
    referral.refresh_from_db()
    assert referral.safety_plan == ""


def test_a_missing_episode_on_the_page_and_a_return_before_going_missing(worker: Any, young_person: Any,
                                                                         signed_in: Any, today: dt.date) -> None:
    child = young_person(age_days=16 * 365)
    client = signed_in(worker)
    url = f"/uasc/children/{child.pk}/safety/missing/new/"
    went = today - dt.timedelta(days=4)
    bad = client.post(url, {"kind": "M", **date_fields("started_on", went),
                            **date_fields("ended_on", went - dt.timedelta(days=1))})
    assert bad.status_code == 422
    assert "Date they came back must be the same as or after the date they went missing" in bad.content.decode()
    assert not MissingEpisode.objects.exists()
    ok = client.post(url, {"kind": "M", **date_fields("started_on", went), **date_fields("ended_on", went),
                           **date_fields("return_interview_on", today)})
    assert ok.status_code == 302
    page = client.get(f"/uasc/children/{child.pk}/safety/").content.decode()
    assert "Missing (M)" in page
    listed = Client().get(f"/api/v1/uasc/children/{child.pk}/missing-episodes", **_bearer(worker)).json()
    assert [(e["kind"], e["started_on"]) for e in listed] == [("M", went.isoformat())]


def test_an_nrm_referral_dated_before_the_child_was_born_or_the_calendar_is_refused(worker: Any, young_person: Any,
                                                                                   today: dt.date) -> None:
    """Found by the API fuzz test: 9 February 994 was a server error (the calendar starts in 1950)."""
    child = young_person(age_days=16 * 365)
    auth, url = _bearer(worker), f"/api/v1/uasc/children/{child.pk}/nrm-referrals"
    for day, message in ((dt.date(994, 2, 9), "on or after the child's date of birth"),
                         (child.date_of_birth - dt.timedelta(days=1), "on or after the child's date of birth")):
        answer = Client().post(url, {"referred_on": day.isoformat()}, content_type="application/json", **auth)
        assert answer.status_code == 422, answer.content
        assert answer.json()["detail"][0]["loc"] == ["body", "referred_on"]
        assert message in answer.json()["detail"][0]["msg"]
    child.date_of_birth = None
    child.save(update_fields=["date_of_birth"])
    answer = Client().post(url, {"referred_on": "0994-02-09"}, content_type="application/json", **auth)
    assert answer.status_code == 422 and "Enter the real date of the referral" in answer.json()["detail"][0]["msg"]
    assert not NrmReferral.objects.filter(child=child).exists()
