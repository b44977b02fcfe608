"""The demo council's reviews and quality assurance, added after the children's histories.

* Every review the demo held gets the due date the deadlines engine gives it; one held late gets
  a reason from the council's list, so the measures say why reviews were late.
* The `iro` login is the IRO of some of the `socialworker` login's children. On one of them the
  IRO audited the case file last week and raised three actions with the social worker: one open
  and due in a few days (the social worker answers it in the walk-through), one answered, and one
  unanswered past its due date (the IRO can escalate it).
* The latest review of that child records the child's views, who came and two actions.

Made up, like the rest of the demo; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from harbour.accounts.models import Allocation, User
from harbour.children.models import Child
from harbour.children.selectors import case_timelines
from harbour.core.calendar import council_calendar
from harbour.core.demo_order import by_child
from harbour.domain.deadlines import compute_deadlines
from harbour.domain.review_rules import REVIEW_DUTIES

from .defaults import seed_default_lists
from .models import (
    AuditArea,
    AuditRating,
    CaseAudit,
    LateReviewReason,
    QualityAction,
    Review,
    ReviewAction,
)

DAY = dt.timedelta(days=1)
OTHER_REASONS = ("Court hearing moved the date", "Interpreter not available on the day", "Placement move that week")


def _due_dates_and_late_reasons(today: dt.date, rng: random.Random) -> int:
    children = dict(Child.unscoped.values_list("id", "date_of_birth"))
    timelines = case_timelines(list(children), children)
    calendar = council_calendar()
    due: dict[tuple[Any, dt.date], tuple[dt.date, bool]] = {}
    for pk, timeline in timelines.items():
        for deadline in compute_deadlines(timeline, today=today, calendar=calendar):
            if deadline.duty in REVIEW_DUTIES and deadline.met_on is not None:
                due[(pk, deadline.met_on)] = (deadline.due, deadline.met_on > deadline.due)
    # The lists come with a migration; a database emptied since (a flushed test database) gets them again.
    seed_default_lists(LateReviewReason, AuditArea)
    reasons = list(LateReviewReason.objects.filter(active=True))
    weights = [40, 30, 15, 15][: len(reasons)]
    reviews = list(Review.objects.order_by(*by_child("child__"), "child_id", "held_on"))
    late = 0
    for review in reviews:
        review.due_on, held_late = due.get((review.child_id, review.held_on), (None, False))
        if held_late and reasons:
            late += 1
            review.late_reason = rng.choices(reasons, weights=weights)[0]
            review.late_reason_detail = rng.choice(OTHER_REASONS) if review.late_reason.needs_detail else ""
    Review.objects.bulk_update(reviews, ["due_on", "late_reason", "late_reason_detail"], batch_size=500)
    return late


def _featured_child(iro: User, worker: User, today: dt.date) -> Child | None:
    """A child of the social worker's with the IRO as their IRO; if the rota gave none, the IRO
    takes over the first of the social worker's children (their previous IRO's allocation ends)."""
    worker_children = Allocation.objects.filter(worker=worker, kind=Allocation.Kind.SOCIAL_WORKER, end__isnull=True)
    shared = Allocation.objects.filter(worker=iro, kind=Allocation.Kind.IRO, end__isnull=True,
                                       child_id__in=worker_children.values("child_id")).order_by("start").first()
    if shared is not None:
        return Child.unscoped.get(pk=shared.child_id)
    first = worker_children.filter(child__periods_looked_after__end__isnull=True).order_by("start").first()
    if first is None:
        return None
    Allocation.objects.filter(child_id=first.child_id, kind=Allocation.Kind.IRO, end__isnull=True).update(
        end=today - DAY)
    Allocation.objects.create(child_id=first.child_id, worker=iro, kind=Allocation.Kind.IRO, start=today)
    return Child.unscoped.get(pk=first.child_id)


def _quality_assurance(child: Child, iro: User, worker: User, manager: User | None, today: dt.date) -> int:
    audited_on = today - 7 * DAY
    audit = CaseAudit.objects.create(
        child=child, auditor=iro, audited_on=audited_on,
        summary="A settled placement and a clear plan; the child's own words are missing from the last two visits.")
    ratings = ("good", "requires_improvement", "good", "good", "requires_improvement", "good", "good")
    AuditRating.objects.bulk_create(
        AuditRating(audit=audit, area=area, rating=ratings[i % len(ratings)],
                    comment="Visits record what the carer said, not the child." if ratings[i % len(ratings)]
                    == "requires_improvement" else "")
        for i, area in enumerate(AuditArea.objects.filter(active=True)))
    common: dict[str, Any] = {"child": child, "audit": audit, "raised_by": iro, "raised_on": audited_on,
                              "social_worker": worker, "team_manager": manager, "team_id": worker.team_id}
    QualityAction.objects.bulk_create([
        QualityAction(**common, description="Record the child's own words at each statutory visit, in their language.",
                      due_on=today + 5 * DAY),
        QualityAction(**common, description="Add the virtual school's targets from the last PEP to the care plan.",
                      due_on=today - 2 * DAY, response="Added on the care plan agreed last week.",
                      responded_on=today - 3 * DAY, responded_by=worker),
        QualityAction(**common, description="Book the overdue dental check and record the date.",
                      due_on=today - DAY),
    ])
    return 3


def _review_detail(child: Child, worker: User, iro: User, today: dt.date) -> None:
    review = Review.objects.filter(child=child).order_by("-held_on").first()
    if review is None:
        return
    review.child_views = ("I like my school and I want to keep playing football. I want to phone my uncle more "
                          "often.")
    review.views_gathered = Review.ViewsGathered.ADVOCATE
    review.attendees = f"The child\nThe foster carer\n{worker.display_name} (social worker)\nAdvocate"
    review.care_plan_view = "The plan meets the child's needs; contact with family needs a clear arrangement."
    review.save(update_fields=["child_views", "views_gathered", "attendees", "care_plan_view"])
    ReviewAction.objects.bulk_create([
        ReviewAction(review=review, description="Arrange weekly video calls with the child's uncle.", owner=worker,
                     due_on=max(today, review.held_on) + 14 * DAY),
        ReviewAction(review=review, description="Ask the virtual school about a football club.", owner=worker,
                     due_on=max(today, review.held_on) + 28 * DAY),
    ])


def seed_reviews(*, users: dict[str, User], today: dt.date, seed: int) -> dict[str, int]:
    """Due dates and late reasons on the demo's reviews, and the IRO's audit and actions."""
    rng = random.Random(seed)  # noqa: S311 - made-up demo data, not security
    late = _due_dates_and_late_reasons(today, rng)
    iro, worker = users.get("iro"), users.get("socialworker")
    actions = 0
    if iro is not None and worker is not None:
        child = _featured_child(iro, worker, today)
        if child is not None:
            actions = _quality_assurance(child, iro, worker, users.get("teammanager"), today)
            _review_detail(child, worker, iro, today)
    return {"reviews held late, with a reason": late, "IRO actions": actions}
