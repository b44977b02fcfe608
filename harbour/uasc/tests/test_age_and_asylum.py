"""The age assessment and the asylum claim: a new date of birth moves every deadline and age-based
rule; a finding of adulthood ends care with E15; the claim's milestones and alerts; bad input is
refused with the field named and nothing saved, on the page and in the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from harbour.accounts.models import ApiToken
from harbour.children import selectors as child_selectors
from harbour.children.models import AgeAssessment, Child, DateOfBirthRecord, PeriodLookedAfter
from harbour.core.calendar import council_calendar
from harbour.domain import timescales as ts
from harbour.domain.ages import add_months, birthday
from harbour.domain.deadlines import Duty
from harbour.domain.types import Period
from harbour.placements.models import Placement
from harbour.uasc.models import AsylumClaim

from .conftest import date_fields


def _bearer(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _deadlines(child: Child, today: dt.date) -> dict[str, dt.date]:
    fresh = Child.unscoped.get(pk=child.pk)
    found = child_selectors.child_deadlines(child=fresh, today=today, calendar=council_calendar(), nts_working_days=5)
    return {d.duty: d.due for d in found if d.duty in {Duty.NEEDS_ASSESSMENT, Duty.PEP}}


def assessment_form(started: dt.date, completed: dt.date, dob: dt.date, outcome: str = "different_age") -> dict[str, str]:
    return {**date_fields("started_on", started), **date_fields("completed_on", completed),
            **date_fields("assessed_date_of_birth", dob), "assessors": "A. Social worker and B. Social worker",
            "interpreter": "C. Haile, Tigrinya", "outcome": outcome, "child_response": "I accept it"}


def test_an_age_assessment_on_the_page_moves_every_deadline(worker: Any, young_person: Any, signed_in: Any,
                                                             today: dt.date) -> None:
    # Claimed 15 and a half, looked after for 20 weeks: no leaving-care needs assessment is due yet.
    # Assessed a year older, they are an eligible child now and the assessment falls due.
    child = young_person(age_days=15 * 365 + 200)
    PeriodLookedAfter.objects.filter(child=child).update(start=today - dt.timedelta(weeks=20))
    before = _deadlines(child, today)
    assert child.date_of_birth is not None
    older = child.date_of_birth - dt.timedelta(days=365)
    response = signed_in(worker).post(f"/children/{child.pk}/age-assessments/new/",
                                      assessment_form(today - dt.timedelta(days=20), today - dt.timedelta(days=2), older))
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert (child.date_of_birth, child.date_of_birth_source) == (older, "assessed")
    eligible = ts.became_eligible_on(older, [Period(today - dt.timedelta(weeks=20), today)])
    assert eligible is not None
    after = _deadlines(child, today)
    assert Duty.NEEDS_ASSESSMENT not in before
    assert after[Duty.NEEDS_ASSESSMENT] == ts.needs_assessment_due(older, eligible)
    # The history is kept: the claimed date and the assessed date are both on record.
    assert set(DateOfBirthRecord.objects.filter(child=child).values_list("source", flat=True)) >= {"assessed"}
    assert AgeAssessment.objects.get(child=child).date_of_birth_record.date_of_birth == older  # type: ignore[union-attr]
    page = signed_in(worker).get(f"/children/{child.pk}/identity/").content.decode()
    assert "Age assessment completed" in page and "C. Haile, Tigrinya" in page


def test_an_assessed_date_of_birth_after_the_assessment_is_refused(worker: Any, young_person: Any, signed_in: Any,
                                                                     today: dt.date) -> None:
    child = young_person(age_days=16 * 365)
    before = child.date_of_birth
    completed = today - dt.timedelta(days=5)
    response = signed_in(worker).post(f"/children/{child.pk}/age-assessments/new/",
                                      assessment_form(completed, completed, completed + dt.timedelta(days=1)))
    assert response.status_code == 422
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Assessed date of birth must be on or before the date the assessment was completed" in body
    child.refresh_from_db()
    assert child.date_of_birth == before
    assert not AgeAssessment.objects.exists()
    assert not DateOfBirthRecord.objects.filter(child=child, source="assessed").exists()


def test_found_to_be_an_adult_leaves_care_with_e15(worker: Any, young_person: Any, today: dt.date) -> None:
    child = young_person(age_days=16 * 365 + 100)
    adult_dob = today - dt.timedelta(days=19 * 365)
    completed = today - dt.timedelta(days=1)
    response = Client().post(
        f"/api/v1/uasc/children/{child.pk}/age-assessments",
        {"started_on": (today - dt.timedelta(days=10)).isoformat(), "completed_on": completed.isoformat(),
         "assessors": "A and B", "outcome": "adult", "assessed_date_of_birth": adult_dob.isoformat()},
        content_type="application/json", **_bearer(worker))
    assert response.status_code == 201, response.content
    assert response.json()["looked_after"] is False
    assert response.json()["date_of_birth_in_use"] == adult_dob.isoformat()
    period = PeriodLookedAfter.objects.get(child=child)
    assert (period.end, period.reason_ceased) == (completed, "E15")
    assert Placement.objects.get(child=child).end == completed


def test_an_adult_outcome_with_a_childs_date_of_birth_is_refused_in_the_api(worker: Any, young_person: Any,
                                                                            today: dt.date) -> None:
    child = young_person(age_days=16 * 365 + 100)
    response = Client().post(
        f"/api/v1/uasc/children/{child.pk}/age-assessments",
        {"started_on": today.isoformat(), "completed_on": today.isoformat(), "assessors": "A and B",
         "outcome": "adult", "assessed_date_of_birth": (today - dt.timedelta(days=17 * 365)).isoformat()},
        content_type="application/json", **_bearer(worker))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "assessed_date_of_birth"]
    assert PeriodLookedAfter.objects.get(child=child).end is None
    assert not AgeAssessment.objects.exists()


def test_the_asylum_claim_on_the_page_with_its_alerts(worker: Any, young_person: Any, signed_in: Any,
                                                       today: dt.date) -> None:
    # About 5 months short of 18 with no decision: the claim warns that 18 is near.
    child = young_person(age_days=17 * 365 + 220)
    client = signed_in(worker)
    claimed = today - dt.timedelta(days=200)
    response = client.post(f"/uasc/children/{child.pk}/claim/", {
        **date_fields("claimed_on", claimed), "legal_representative": "R. Begum, Harbourside Law Centre",
        **date_fields("sef_sent_on", claimed + dt.timedelta(days=50))})
    assert response.status_code == 302, response.content.decode()[:3000]
    claim = AsylumClaim.objects.get(child=child)
    assert claim.sef_due > claimed and claim.awaiting_decision
    page = client.get(f"/uasc/children/{child.pk}/").content.decode()
    assert "No asylum decision and 18 on" in page
    assert child.date_of_birth is not None and birthday(child.date_of_birth, 18) <= add_months(today, 6)


def test_leave_expiring_before_it_was_granted_is_refused(worker: Any, young_person: Any, signed_in: Any,
                                                         today: dt.date) -> None:
    child = young_person(age_days=17 * 365)
    claimed = today - dt.timedelta(days=300)
    granted = today - dt.timedelta(days=10)
    payload = {"claimed_on": claimed.isoformat(), "decision": "refugee", "decided_on": granted.isoformat(),
               "leave_granted_on": granted.isoformat(), "leave_expires_on": (granted - dt.timedelta(days=1)).isoformat()}
    response = Client().put(f"/api/v1/uasc/children/{child.pk}/asylum-claim", payload,
                            content_type="application/json", **_bearer(worker))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == [{"loc": ["body", "leave_expires_on"],
                       "msg": f"Date leave expires must be after the date it was granted, {granted.day} "
                              f"{granted:%B %Y}"}]
    page = signed_in(worker).post(f"/uasc/children/{child.pk}/claim/", {
        **date_fields("claimed_on", claimed), "decision": "refugee", **date_fields("decided_on", granted),
        **date_fields("leave_granted_on", granted), **date_fields("leave_expires_on", granted - dt.timedelta(days=1))})
    assert page.status_code == 422 and "Date leave expires must be after the date it was granted" in page.content.decode()
    assert not AsylumClaim.objects.exists()
    ok = {**payload, "leave_expires_on": (today + dt.timedelta(days=60)).isoformat()}
    response = Client().put(f"/api/v1/uasc/children/{child.pk}/asylum-claim", ok,
                            content_type="application/json", **_bearer(worker))
    assert response.status_code == 200
    assert [a["kind"] for a in response.json()["alerts"]] == ["leave_expiring"]


CLAIM_DATES = [
    ("1900-01-01", "The date of the claim must be on or after the child's date of birth", "before-birth-and-calendar"),
    ("before-birth", "The date of the claim must be on or after the child's date of birth", "day-before-birth"),
]


@pytest.mark.parametrize(("claimed", "message"), [row[:2] for row in CLAIM_DATES], ids=[row[2] for row in CLAIM_DATES])
def test_a_claim_dated_before_the_child_was_born_is_refused(worker: Any, young_person: Any, today: dt.date,
                                                           claimed: str, message: str) -> None:
    # Found by the API fuzz test: a claim from 1900 made the server fail working out the SEF due date.
    child = young_person(age_days=16 * 365)
    if claimed == "before-birth":
        claimed = (child.date_of_birth - dt.timedelta(days=1)).isoformat()
    response = Client().put(f"/api/v1/uasc/children/{child.pk}/asylum-claim", {"claimed_on": claimed},
                            content_type="application/json", **_bearer(worker))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "claimed_on"] and error["msg"].startswith(message)
    assert not AsylumClaim.objects.exists()


def test_partners_and_other_caseloads_cannot_reach_the_claim(worker: Any, make_user: Any, young_person: Any,
                                                             make_agency: Any, share_with: Any) -> None:
    child = young_person(awaiting=True)
    stranger = make_user()
    assert Client().get(f"/api/v1/uasc/children/{child.pk}/asylum-claim", **_bearer(stranger)).status_code == 404
    agency = make_agency()
    share_with(child, agency, by=worker)
    partner = make_user("partner", agency=agency)
    assert Client().get(f"/api/v1/uasc/children/{child.pk}/asylum-claim", **_bearer(partner)).status_code == 404
    assert Client().get(f"/api/v1/uasc/children/{child.pk}/asylum-claim", **_bearer(worker)).status_code == 200
