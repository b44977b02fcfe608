"""The UASC journey to adulthood through the API alone: an age assessment moves the child's
deadlines; a personal adviser reads who is due a contact, records one with OC3 codes and extends the
placement of an 18-year-old still waiting for an asylum decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from harbour.accounts.models import Allocation, ApiToken, Role
from harbour.children import services as child_services
from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import add_months, birthday
from harbour.placements.models import Placement


def _api(user: Any) -> Client:
    _, raw = ApiToken.issue(user=user, name="flow")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_an_age_assessment_moves_the_deadlines_in_the_api(make_user: Any) -> None:
    today = timezone.localdate()
    worker = make_user(Role.SOCIAL_WORKER)
    claimed = add_months(today, -15 * 12 - 6)  # 15 and a half as claimed
    child = child_services.child_create(actor=worker, identity={"given_names": "Ahmad", "is_uasc": True},
                                        date_of_birth=claimed, date_of_birth_source="claimed", social_worker=worker,
                                        today=today)
    PeriodLookedAfter.objects.create(child=child, start=today - dt.timedelta(weeks=20))
    api = _api(worker)

    def needs_assessment() -> list[str]:
        body = api.get(f"/api/v1/children/{child.pk}/deadlines").json()
        return [d["due"] for d in body["deadlines"] if d["duty"] == "needs_assessment"]

    assert needs_assessment() == []
    assessed = claimed - dt.timedelta(days=365)
    response = api.post(f"/api/v1/uasc/children/{child.pk}/age-assessments", {
        "started_on": (today - dt.timedelta(days=30)).isoformat(), "completed_on": today.isoformat(),
        "assessors": "Two social workers", "outcome": "different_age", "assessed_date_of_birth": assessed.isoformat(),
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["date_of_birth_in_use"] == assessed.isoformat()
    assert len(needs_assessment()) == 1
    sources = {d["source"] for d in api.get(f"/api/v1/children/{child.pk}").json()["dates_of_birth"]}
    assert sources == {"claimed", "assessed"}


def test_the_personal_advisers_journey_in_the_api(make_user: Any) -> None:
    today = timezone.localdate()
    worker, adviser = make_user(Role.SOCIAL_WORKER), make_user(Role.PERSONAL_ADVISER)
    dob = add_months(today, -18 * 12) - dt.timedelta(days=35)
    child = Child.unscoped.create(given_names="Yonas", family_name="Gebremariam", date_of_birth=dob, is_uasc=True)
    arrival, eighteen = add_months(dob, 16 * 12 + 3), birthday(dob, 18)
    PeriodLookedAfter.objects.create(child=child, start=arrival, end=eighteen, reason_ceased="E5")
    Placement.objects.create(child=child, start=arrival, end=eighteen, placement_type="K3",
                             carer_or_provider="Harbourside Supported Lodgings", postcode="HB4 2QT")
    Allocation.objects.create(child=child, worker=adviser, kind=Allocation.Kind.PERSONAL_ADVISER, start=arrival)
    assert _api(worker).put(f"/api/v1/uasc/children/{child.pk}/asylum-claim",
                            {"claimed_on": (arrival + dt.timedelta(days=9)).isoformat()},
                            content_type="application/json").status_code == 404  # not on the worker's caseload
    Allocation.objects.create(child=child, worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, start=arrival)
    claim = _api(worker).put(f"/api/v1/uasc/children/{child.pk}/asylum-claim",
                             {"claimed_on": (arrival + dt.timedelta(days=9)).isoformat(),
                              "sef_sent_on": (arrival + dt.timedelta(days=60)).isoformat()},
                             content_type="application/json")
    assert claim.status_code == 200 and claim.json()["awaiting_decision"] is True

    api = _api(adviser)
    [row] = api.get("/api/v1/leaving-care/caseload").json()
    assert (row["status"], row["due_a_contact"], row["awaiting_asylum_decision"]) == ("former_relevant", True, True)
    contact = api.post(f"/api/v1/leaving-care/children/{child.pk}/contacts", {
        "contacted_on": today.isoformat(), "in_touch": "YES", "activity": "F2", "accommodation": "E",
        "accommodation_suitable": True}, content_type="application/json")
    assert contact.status_code == 201 and contact.json()["oc3_accom"] == "E1"
    [row] = api.get("/api/v1/leaving-care/caseload").json()
    assert row["due_a_contact"] is False and row["contact_due"] == add_months(today, 2).isoformat()
    extension = api.post(f"/api/v1/leaving-care/children/{child.pk}/extensions", {
        "starts_on": eighteen.isoformat(), "review_on": add_months(eighteen, 3).isoformat(), "weekly_cost": "495.00",
        "funding_source": "council", "reason": "No decision on the asylum claim"}, content_type="application/json")
    assert extension.status_code == 201, extension.content
    [row] = api.get("/api/v1/leaving-care/caseload").json()
    assert row["placement_extended"] is True
