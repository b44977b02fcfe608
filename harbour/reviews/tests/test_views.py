"""The reviews pages: the IRO's reviews due, recording a review and a late review, the audit and
an action answered, errors on the fields with nothing saved, scope and the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from harbour.accounts.models import Role
from harbour.audit.models import AccessLogEntry
from harbour.reviews.models import AuditArea, LateReviewReason, QualityAction, Review

from .conftest import looked_after


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def recent(make_child: Any, worker: Any, iro: Any) -> Any:
    """Looked after from 100 days ago: the first review was due 20 working days later."""
    return looked_after(make_child, worker, iro, start=today() - dt.timedelta(days=100), today=today(),
                        given_names="Dawit", family_name="Tesfaye")


def date_fields(name: str, day: dt.date) -> dict[str, str]:
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month), f"{name}-year": str(day.year)}


def test_the_iro_sees_their_children_and_the_review_overdue(iro: Any, recent: Any, signed_in: Any) -> None:
    html = signed_in(iro).get("/reviews/").content.decode()
    assert "Dawit" in html and "Overdue" in html
    assert "You are the independent reviewing officer for <strong>1 child</strong>" in html


def test_a_review_recorded_through_the_page(iro: Any, recent: Any, worker: Any, signed_in: Any) -> None:
    held = today() - dt.timedelta(days=95)
    response = signed_in(iro).post(f"/reviews/child/{recent.pk}/record/", {
        **date_fields("held_on", held), "participation": "PN1", "child_views": "I like my carers",
        "views_gathered": "in_person", "action_1_description": "Start swimming lessons",
        "action_1_owner": str(worker.pk), **date_fields("action_1_due_on", today()),
    })
    assert response.status_code == 302 and response["Location"] == f"/reviews/child/{recent.pk}/"
    review = Review.objects.get(child=recent)
    assert (review.held_on, review.late_reason, review.actions.get().owner) == (held, None, worker)
    page = signed_in(iro).get(f"/reviews/child/{recent.pk}/").content.decode()
    assert "I like my carers" in page and "Start swimming lessons" in page


def test_a_late_review_without_its_reason_shows_the_error(iro: Any, recent: Any, signed_in: Any) -> None:
    held = today() - dt.timedelta(days=60)
    client = signed_in(iro)
    response = client.post(f"/reviews/child/{recent.pk}/record/", {**date_fields("held_on", held),
                                                                   "participation": "PN5"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_late_reason"' in html and "select why it was held late" in html
    assert not Review.objects.exists()
    reason = LateReviewReason.objects.get(label="Staff sickness")
    response = client.post(f"/reviews/child/{recent.pk}/record/", {**date_fields("held_on", held),
                                                                   "participation": "PN5",
                                                                   "late_reason": str(reason.pk)})
    assert response.status_code == 302
    assert Review.objects.get(child=recent).late_reason == reason


def test_an_action_with_no_owner_is_refused_on_the_page(iro: Any, recent: Any, signed_in: Any) -> None:
    response = signed_in(iro).post(f"/reviews/child/{recent.pk}/record/", {
        **date_fields("held_on", today() - dt.timedelta(days=95)), "participation": "PN1",
        "action_1_description": "Start swimming lessons", **date_fields("action_1_due_on", today()),
    })
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_action_1_owner"' in html and "Select who owns action 1" in html
    assert not Review.objects.exists()


def test_an_audit_and_the_social_workers_answer(iro: Any, recent: Any, worker: Any, manager: Any,
                                                signed_in: Any) -> None:
    ratings = {f"area_{a.pk}_rating": "requires_improvement" for a in AuditArea.objects.filter(active=True)}
    response = signed_in(iro).post(f"/reviews/child/{recent.pk}/audit/", {
        **date_fields("audited_on", today()), **ratings, "qa_action_1_description": "Record the child's wishes",
        **date_fields("qa_action_1_due_on", today() + dt.timedelta(days=10)),
    })
    assert response.status_code == 302
    action = QualityAction.objects.get(child=recent)
    assert (action.social_worker, action.team_manager) == (worker, manager)

    social_worker = signed_in(worker)
    assert "Record the child&#39;s wishes" in social_worker.get("/reviews/actions/").content.decode()
    empty = social_worker.post(f"/reviews/actions/{action.pk}/", {"response": ""})
    assert empty.status_code == 422 and "Enter your response to the action" in empty.content.decode()
    answered = social_worker.post(f"/reviews/actions/{action.pk}/", {"response": "Added to the plan"})
    assert answered.status_code == 302
    action.refresh_from_db()
    assert (action.response, action.responded_by) == ("Added to the plan", worker)


def test_an_audit_missing_a_rating_shows_the_error(iro: Any, recent: Any, signed_in: Any) -> None:
    response = signed_in(iro).post(f"/reviews/child/{recent.pk}/audit/", date_fields("audited_on", today()))
    assert response.status_code == 422
    first = AuditArea.objects.filter(active=True).first()
    assert first is not None and f'href="#id_area_{first.pk}_rating"' in response.content.decode()
    assert not QualityAction.objects.exists()


def test_a_social_worker_cannot_record_a_review(worker: Any, recent: Any, signed_in: Any) -> None:
    client = signed_in(worker)
    page = client.get(f"/reviews/child/{recent.pk}/record/")
    assert page.status_code == 200 and "Only the child's independent reviewing officer" in page.content.decode()
    posted = client.post(f"/reviews/child/{recent.pk}/record/", {"participation": "PN1"})
    assert posted.status_code == 403 and not Review.objects.exists()
    assert client.post(f"/reviews/child/{recent.pk}/audit/", {}).status_code == 403


def test_another_iro_cannot_see_the_child(make_user: Any, recent: Any, signed_in: Any) -> None:
    other = make_user(Role.IRO)
    assert signed_in(other).get(f"/reviews/child/{recent.pk}/").status_code == 404
    assert signed_in(other).get(f"/reviews/child/{recent.pk}/record/").status_code == 404


def test_reading_the_childs_reviews_is_logged(iro: Any, recent: Any, signed_in: Any) -> None:
    signed_in(iro).get(f"/reviews/child/{recent.pk}/")
    assert AccessLogEntry.objects.filter(child_id=recent.pk, user=iro, route="reviews:child").exists()


def test_the_compliance_list_orders_by_urgency(worker: Any, iro: Any, make_child: Any, signed_in: Any) -> None:
    older = looked_after(make_child, worker, iro, start=today() - dt.timedelta(days=200), today=today(),
                         given_names="Older")
    newer = looked_after(make_child, worker, iro, start=today() - dt.timedelta(days=40), today=today(),
                         given_names="Newer")
    html = signed_in(worker).get("/reviews/compliance/?kind=review").content.decode()
    assert html.index(older.given_names) < html.index(newer.given_names)  # longest overdue first


def test_the_measures_link_to_their_records(iro: Any, recent: Any, signed_in: Any) -> None:
    from harbour.core.calendar import council_calendar
    from harbour.domain.timescales import first_review_due

    due = first_review_due(today() - dt.timedelta(days=100), council_calendar())
    client = signed_in(iro)
    html = client.get("/reviews/measures/").content.decode()
    link = f"/reviews/measures/reviews/{due:%Y-%m}/"
    assert f'href="{link}">0 of 1' in html  # the first review, due and not held
    records = client.get(link).content.decode()
    assert "Dawit" in records and "Not done" in records
    assert client.get("/reviews/measures/?by=quarter").status_code == 200
    assert client.get("/reviews/measures/reviews/1999-01/").status_code == 404


def test_a_social_worker_does_not_see_the_measures(worker: Any, signed_in: Any) -> None:
    assert signed_in(worker).get("/reviews/measures/").status_code == 403


def test_the_iro_calendar_shows_the_review_overdue(iro: Any, recent: Any, signed_in: Any, make_user: Any) -> None:
    html = signed_in(iro).get("/reviews/calendar/").content.decode()
    assert "Dawit" in html and "was due by" in html
    manager = make_user(Role.IRO_MANAGER)
    chosen = signed_in(manager).get(f"/reviews/calendar/?iro={iro.pk}").content.decode()
    assert "Dawit" in chosen and f'value="{iro.pk}" selected' in chosen


def test_the_measures_download_as_csv(iro: Any, recent: Any, signed_in: Any) -> None:
    response = signed_in(iro).get("/reviews/measures/?by=quarter&format=csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0].startswith("period,reviews_in_time,reviews_due,visits_in_time")
    assert len(lines) == 5  # four quarters
    assert sum(int(line.split(",")[2]) for line in lines[1:]) == 1  # the one review due, not held
