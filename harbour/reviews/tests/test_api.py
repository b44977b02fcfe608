"""Reviews through the API: the same rules as the pages, 422 naming the field, 404 out of scope."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from harbour.accounts.models import ApiToken, Role
from harbour.reviews.models import AuditArea, LateReviewReason, QualityAction, Review

from .conftest import looked_after


def auth(user: Any) -> dict[str, str]:
    _, raw = ApiToken.issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def post(user: Any, url: str, body: dict[str, Any]) -> Any:
    return Client().post(url, json.dumps(body), content_type="application/json", **auth(user))


def get(user: Any, url: str) -> Any:
    return Client().get(url, **auth(user))


@pytest.fixture
def recent(make_child: Any, worker: Any, iro: Any) -> Any:
    return looked_after(make_child, worker, iro, start=timezone.localdate() - dt.timedelta(days=100),
                        today=timezone.localdate())


def days_ago(n: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=n)).isoformat()


def test_reviews_due_and_a_review_recorded_late_with_its_reason(iro: Any, recent: Any, worker: Any) -> None:
    due = get(iro, "/api/v1/reviews/due").json()
    assert [(row["child_id"], row["state"]) for row in due] == [(str(recent.pk), "overdue")]
    reasons = {r["label"]: r["id"] for r in get(iro, "/api/v1/reviews/late-reasons").json()}
    response = post(iro, f"/api/v1/reviews/children/{recent.pk}/reviews", {
        "held_on": days_ago(60), "participation": "PN6", "late_reason_id": reasons["Staff sickness"],
        "child_views": "Wrote to the IRO", "views_gathered": "consultation_tool",
        "actions": [{"description": "Arrange a dentist", "owner_id": str(worker.pk), "due_on": days_ago(0)}],
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["held_late"], body["late_reason"], body["actions"][0]["owner_id"]) == (
        True, "Staff sickness", str(worker.pk))
    child = get(iro, f"/api/v1/reviews/children/{recent.pk}").json()
    assert child["reviews"][0]["id"] == body["id"]
    assert {c["kind"] for c in child["checks"]} >= {"review", "health_assessment"}


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"held_on": "2001-01-01", "participation": "PN1"}, "held_on", "on or after the day the child became looked after"),
    ({"participation": "PN0"}, "participation", "PN0 is only for a child under 4"),
    ({"participation": "PN1", "actions": [{"description": "Dentist", "due_on": "2099-01-01"}]}, "action_1_owner",
     "Select who owns action 1"),
    ({"held_on": "LATE", "participation": "PN1"}, "late_reason_id", "select why it was held late"),
], ids=["before-looked-after", "pn0-for-a-10-year-old", "action-without-owner", "late-without-reason"])
def test_bad_input_answers_422_with_the_field(iro: Any, recent: Any, body: dict[str, Any], field: str,
                                              message: str) -> None:
    body = {"held_on": days_ago(95), **body}
    if body["held_on"] == "LATE":
        body["held_on"] = days_ago(60)
    response = post(iro, f"/api/v1/reviews/children/{recent.pk}/reviews", body)
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", field] and message in item["msg"]
    assert not Review.objects.exists()


def test_an_unknown_late_reason_is_refused(iro: Any, recent: Any) -> None:
    response = post(iro, f"/api/v1/reviews/children/{recent.pk}/reviews",
                    {"held_on": days_ago(60), "participation": "PN1", "late_reason_id": 99999})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "late_reason_id"]
    assert LateReviewReason.objects.filter(pk=99999).count() == 0


def test_audit_action_answered_and_escalation_refused_once_answered(iro: Any, recent: Any, worker: Any) -> None:
    ratings = [{"area_id": a.pk, "rating": "good"} for a in AuditArea.objects.filter(active=True)]
    response = post(iro, f"/api/v1/reviews/children/{recent.pk}/audits", {
        "audited_on": days_ago(0), "ratings": ratings,
        "actions": [{"description": "Update the chronology", "due_on": days_ago(0)}],
    })
    assert response.status_code == 201, response.content
    (action,) = response.json()["actions"]
    assert action["social_worker_id"] == str(worker.pk)
    assert [a["id"] for a in get(worker, "/api/v1/reviews/actions").json()] == [action["id"]]
    answered = post(worker, f"/api/v1/reviews/actions/{action['id']}/response", {"response": "Updated"})
    assert answered.status_code == 200 and answered.json()["responded_on"] == days_ago(0)
    refused = post(iro, f"/api/v1/reviews/actions/{action['id']}/escalation", {})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "stage"]
    assert QualityAction.objects.get().stage == 0


def test_out_of_scope_is_404_and_a_social_worker_cannot_record(make_user: Any, recent: Any, worker: Any) -> None:
    assert get(make_user(Role.IRO), f"/api/v1/reviews/children/{recent.pk}").status_code == 404
    response = post(worker, f"/api/v1/reviews/children/{recent.pk}/reviews",
                    {"held_on": days_ago(95), "participation": "PN1"})
    assert response.status_code == 403


def test_compliance_and_measures(iro: Any, recent: Any, worker: Any) -> None:
    rows = get(worker, "/api/v1/reviews/compliance?worker=me&kind=review").json()
    assert [(r["child_id"], r["kind"], r["overdue"]) for r in rows] == [(str(recent.pk), "review", True)]
    assert get(worker, "/api/v1/reviews/compliance?kind=dance").status_code == 422
    measures = get(iro, "/api/v1/reviews/measures?by=quarter").json()
    assert len(measures) == 4
    assert sum(m["figures"]["reviews"]["of"] for m in measures) == 1
    assert get(worker, "/api/v1/reviews/measures").status_code == 403


def test_a_visit_recorded_moves_the_clock(worker: Any, recent: Any) -> None:
    before = {c["kind"] for c in get(worker, f"/api/v1/reviews/children/{recent.pk}").json()["checks"]}
    response = post(worker, f"/api/v1/reviews/children/{recent.pk}/checks",
                    {"kind": "care_plan", "on": days_ago(90)})
    assert response.status_code == 201
    after = {c["kind"] for c in response.json()["checks"]}
    assert "care_plan" in before and "care_plan" not in after
    bad = post(worker, f"/api/v1/reviews/children/{recent.pk}/checks", {"kind": "visit", "on": days_ago(-1)})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "on"]
