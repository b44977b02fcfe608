"""Recording reviews and the IRO's quality assurance through the services: the rules, nothing
half-saved, audit, emails after commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.core.models import OutboxMessage
from harbour.reviews import services
from harbour.reviews.models import (
    AuditArea,
    AuditRating,
    CaseAudit,
    LateReviewReason,
    QualityAction,
    Review,
    ReviewAction,
)

from .conftest import TODAY

D = dt.date


def record(iro: Any, child: Any, **given: Any) -> Review:
    arguments: dict[str, Any] = {"held_on": D(2026, 9, 28), "participation": "PN1", "today": TODAY}
    arguments.update(given)
    return services.review_record(actor=iro, child=child, **arguments)


def errors_of(call: Any) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_review_in_time_with_actions(iro: Any, child: Any, worker: Any) -> None:
    review = record(iro, child, child_views="I want to stay at school here", views_gathered="advocate",
                    actions=[services.ActionInput("Book an English course", worker, D(2026, 10, 30)),
                             services.ActionInput("", None, None)])
    assert (review.due_on, review.late_reason, review.chair) == (D(2026, 9, 29), None, iro)
    assert [(a.description, a.owner, a.due_on) for a in review.actions.all()] == [
        ("Book an English course", worker, D(2026, 10, 30))]
    assert AuditEvent.objects.filter(record_type="reviews.Review", record_id=str(review.pk)).exists()
    assert AuditEvent.objects.filter(record_type="reviews.ReviewAction").count() == 1


def test_a_late_review_needs_a_reason_from_the_list(iro: Any, child: Any) -> None:
    errors = errors_of(lambda: record(iro, child, held_on=D(2026, 10, 5)))
    assert errors == {"late_reason": ["The review was due by 29 September 2026: select why it was held late"]}
    sickness = LateReviewReason.objects.get(label="Staff sickness")
    review = record(iro, child, held_on=D(2026, 10, 5), late_reason=sickness)
    assert (review.due_on, review.late_reason) == (D(2026, 9, 29), sickness)


def test_other_needs_words(iro: Any, child: Any) -> None:
    other = LateReviewReason.objects.get(needs_detail=True)
    errors = errors_of(lambda: record(iro, child, held_on=D(2026, 10, 5), late_reason=other))
    assert errors == {"late_reason_detail": ["Enter why the review was held late"]}
    review = record(iro, child, held_on=D(2026, 10, 5), late_reason=other, late_reason_detail="Court hearing moved")
    assert review.late_reason_detail == "Court hearing moved"


def test_a_reason_given_for_a_review_in_time_is_not_kept(iro: Any, child: Any) -> None:
    review = record(iro, child, late_reason=LateReviewReason.objects.first(), late_reason_detail="words")
    assert (review.late_reason, review.late_reason_detail) == (None, "")


@pytest.mark.parametrize(("given", "field", "message"), [
    ({"held_on": D(2026, 8, 31)}, "held_on",
     "Date the review was held must be on or after the day the child became looked after, 1 September 2026"),
    ({"held_on": D(2026, 11, 21)}, "held_on", "Date the review was held must be today or in the past"),
    ({"participation": "PN0"}, "participation",
     "PN0 is only for a child under 4: the child was 10 at the review. Select PN1 to PN7"),
    ({"participation": ""}, "participation", "Select how the child took part in the review"),
    ({"views_gathered": "telepathy"}, "views_gathered", "Select how the child's views were gathered"),
], ids=["before-looked-after", "in-the-future", "pn0-for-a-10-year-old", "no-participation", "unknown-way"])
def test_bad_input_is_refused_and_nothing_saved(iro: Any, child: Any, given: dict[str, Any], field: str,
                                                message: str) -> None:
    errors = errors_of(lambda: record(iro, child, **given))
    assert errors[field] == [message]
    assert not Review.objects.exists() and not AuditEvent.objects.filter(record_type="reviews.Review").exists()


def test_an_action_with_no_owner_is_refused_and_nothing_saved(iro: Any, child: Any, worker: Any) -> None:
    errors = errors_of(lambda: record(iro, child, actions=[
        services.ActionInput("Book a dentist", worker, D(2026, 10, 30)),
        services.ActionInput("Find a Tigrinya interpreter", None, D(2026, 10, 30)),
    ]))
    assert errors == {"action_2_owner": ["Select who owns action 2"]}
    assert not Review.objects.exists() and not ReviewAction.objects.exists()


def test_an_action_due_before_the_review_is_refused(iro: Any, child: Any, worker: Any) -> None:
    errors = errors_of(lambda: record(iro, child, actions=[services.ActionInput("Visit", worker, D(2026, 9, 1))]))
    assert errors == {"action_1_due_on": ["The date action 1 is due must be on or after 28 September 2026"]}


def test_the_same_day_twice_is_refused(iro: Any, child: Any) -> None:
    record(iro, child)
    assert errors_of(lambda: record(iro, child)) == {"held_on": ["A review held on 28 September 2026 is already recorded"]}


def test_pn0_for_a_child_under_4(iro: Any, make_child: Any, worker: Any) -> None:
    from .conftest import looked_after

    toddler = looked_after(make_child, worker, iro, start=D(2026, 9, 1), today=TODAY, date_of_birth=D(2024, 1, 5))
    assert errors_of(lambda: record(iro, toddler))["participation"] == [
        "The child was 2 at the review: a child under 4 is recorded as PN0"]
    assert record(iro, toddler, participation="PN0").participation == "PN0"


def test_only_reviewing_officers_record_reviews(worker: Any, child: Any) -> None:
    with pytest.raises(PermissionDenied):
        record(worker, child)


def rate_all(rating: str = "good") -> dict[int, tuple[str, str]]:
    return {area.pk: (rating, "") for area in AuditArea.objects.filter(active=True)}


def test_an_audit_raises_an_action_with_the_social_worker_and_manager(
    iro: Any, child: Any, worker: Any, manager: Any, django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        audit = services.case_audit_record(
            actor=iro, child=child, audited_on=D(2026, 11, 19), ratings=rate_all(), today=TODAY,
            actions=[services.ActionInput("Update the care plan with the PEP targets", None, D(2026, 12, 4))])
    action = QualityAction.objects.get(audit=audit)
    assert (action.social_worker, action.team_manager, action.team, action.stage) == (worker, manager, worker.team, 0)
    assert AuditRating.objects.filter(audit=audit).count() == AuditArea.objects.filter(active=True).count()
    sent = set(OutboxMessage.objects.values_list("to", flat=True))
    assert sent == {"worker@harbourside.example", "manager@harbourside.example"}
    assert all(child.family_name not in m.body for m in OutboxMessage.objects.all())


def test_an_audit_needs_every_area_rated(iro: Any, child: Any) -> None:
    ratings = rate_all()
    first = AuditArea.objects.filter(active=True).first()
    assert first is not None
    del ratings[first.pk]
    errors = errors_of(lambda: services.case_audit_record(actor=iro, child=child, audited_on=TODAY, ratings=ratings,
                                                          today=TODAY))
    assert errors == {f"area_{first.pk}_rating": [f"Select a rating for {first.name.lower()}"]}
    assert not CaseAudit.objects.exists()


ACTION_DUE = D(2026, 12, 4)


def raise_action(iro: Any, child: Any, due: dt.date = ACTION_DUE) -> QualityAction:
    audit = services.case_audit_record(actor=iro, child=child, audited_on=D(2026, 11, 19), ratings=rate_all(),
                                       today=TODAY, actions=[services.ActionInput("Update the plan", None, due)])
    return QualityAction.objects.get(audit=audit)


def test_the_social_worker_answers(iro: Any, child: Any, worker: Any) -> None:
    action = raise_action(iro, child)
    answered = services.quality_action_respond(actor=worker, action=action, response="Done on 25 November",
                                               today=D(2026, 11, 25))
    assert (answered.responded_on, answered.responded_by, answered.answered_in_time) == (D(2026, 11, 25), worker, True)
    assert errors_of(lambda: services.quality_action_respond(actor=worker, action=answered, response="Again",
                                                             today=TODAY)) == {
        "response": ["The action has already been answered"]}


def test_someone_else_cannot_answer(iro: Any, child: Any, make_user: Any) -> None:
    action = raise_action(iro, child)
    with pytest.raises(PermissionDenied):
        services.quality_action_respond(actor=make_user(), action=action, response="Not mine", today=TODAY)


def test_an_empty_answer_is_refused(iro: Any, child: Any, worker: Any) -> None:
    action = raise_action(iro, child)
    assert errors_of(lambda: services.quality_action_respond(actor=worker, action=action, response="  ",
                                                             today=TODAY)) == {
        "response": ["Enter your response to the action"]}


def test_escalation_only_when_overdue_and_unanswered(iro: Any, child: Any) -> None:
    action = raise_action(iro, child, due=D(2026, 11, 20))
    assert errors_of(lambda: services.quality_action_escalate(actor=iro, action=action, today=D(2026, 11, 20))) == {
        "stage": ["The action is not overdue yet: it can be escalated after its due date"]}
    escalated = services.quality_action_escalate(actor=iro, action=action, today=D(2026, 11, 23))
    assert (escalated.stage, escalated.escalated_on) == (1, D(2026, 11, 23))
    assert services.quality_action_escalate(actor=iro, action=escalated, today=D(2026, 11, 30)).stage == 2


def test_a_health_assessment_with_its_dental_check_and_immunisations(worker: Any, child: Any) -> None:
    from harbour.reviews.models import HealthAssessment

    services.check_record(actor=worker, child=child, kind="health_assessment", on=D(2026, 9, 20),
                          dental_check_on=D(2026, 9, 10), immunisations_up_to_date=True, today=TODAY)
    assessment = HealthAssessment.objects.get(child=child)
    assert (assessment.assessed_on, assessment.dental_check_on, assessment.immunisations_up_to_date) == (
        D(2026, 9, 20), D(2026, 9, 10), True)


@pytest.mark.parametrize(("kind", "on", "message"), [
    ("visit", D(2026, 8, 31), "The child was not looked after on 31 August 2026: a visit must be in a period of care"),
    ("pep", D(2026, 11, 21), "Date of the PEP review must be today or in the past"),
], ids=["visit-before-care", "pep-in-the-future"])
def test_a_check_outside_care_is_refused(worker: Any, child: Any, kind: str, on: dt.date, message: str) -> None:
    assert errors_of(lambda: services.check_record(actor=worker, child=child, kind=kind, on=on, today=TODAY)) == {
        "on": [message]}


def test_a_health_assessment_up_to_3_months_before_care_counts(worker: Any, child: Any) -> None:
    services.check_record(actor=worker, child=child, kind="health_assessment", on=D(2026, 6, 15), today=TODAY)
    assert errors_of(lambda: services.check_record(actor=worker, child=child, kind="health_assessment",
                                                   on=D(2026, 5, 1), today=TODAY))["on"]


def test_an_iro_does_not_record_visits(iro: Any, child: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.check_record(actor=iro, child=child, kind="visit", on=D(2026, 9, 5), today=TODAY)
