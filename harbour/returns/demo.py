"""The demo council's facts for the SSDA903 return that are recorded at the point of work, added
after the children's histories: each social worker's Social Work England number, the SDQ with each
health assessment, substance misuse and offending, why each social worker changed, and previous
permanence for each child who came into care.

Made up, like the rest of the demo, and deterministic: each child's facts follow from the order of
the children's records, not from chance, so the same council gets the same facts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Min

from harbour.accounts.models import Allocation, Role, User
from harbour.children.models import Child, PeriodLookedAfter
from harbour.core.demo_order import by_child
from harbour.domain.ages import age_on
from harbour.reviews.models import HealthAssessment, OutcomeEvent

from .models import PreviousPermanence

# Why a later social worker took over, in turn (not FCONTA: that is the first worker's reason).
CHANGE_REASONS = ("LEFTRL", "MANAGE", "ABSENC", "ORGRST", "CHCHAN", "TSPROC")
# Councils that made the demo's previous orders: two English councils' codes and Wales (rule 633).
ORDER_COUNCILS = ("383", "380", "WAL")


SDQ_AWAITED_DAYS = 21


def _sdq(index: int, date_of_birth: dt.date | None, on: dt.date) -> tuple[int | None, str]:
    if date_of_birth is None:
        return None, "SDQ4"
    age = age_on(date_of_birth, on)
    if age < 4 or age > 16:
        return None, "SDQ1"
    if index % 9 == 4:
        return None, "SDQ5" if age >= 11 else "SDQ2"
    return (index * 7) % 29, ""  # scores spread over the range councils mostly see


def _social_work_england_numbers() -> int:
    workers = list(User.objects.filter(role=Role.SOCIAL_WORKER, social_work_england_number="").order_by("username"))
    for number, worker in enumerate(workers, start=1):
        worker.social_work_england_number = f"SW{900000 + number}"
    User.objects.bulk_update(workers, ["social_work_england_number"])
    return len(workers)


def _change_reasons() -> int:
    allocations = list(Allocation.objects.filter(kind=Allocation.Kind.SOCIAL_WORKER, change_reason="")
                       .order_by(*by_child("child__"), "child_id", "start"))
    first_start = dict(Allocation.objects.filter(kind=Allocation.Kind.SOCIAL_WORKER).values("child_id")
                       .annotate(first=Min("start")).values_list("child_id", "first"))
    changed = 0
    for allocation in allocations:
        if allocation.start == first_start[allocation.child_id]:
            allocation.change_reason = "FCONTA"
        else:
            allocation.change_reason = CHANGE_REASONS[changed % len(CHANGE_REASONS)]
            changed += 1
    Allocation.objects.bulk_update(allocations, ["change_reason"], batch_size=500)
    return changed


def _health_and_outcomes(today: dt.date) -> tuple[int, int]:
    births = dict(Child.unscoped.values_list("id", "date_of_birth"))
    assessments = list(HealthAssessment.objects.filter(sdq_score__isnull=True, sdq_reason="")
                       .order_by(*by_child("child__"), "child_id", "assessed_on"))
    # The carer's questionnaire is not back yet for the assessments of the last three weeks (the
    # "add the SDQ" link shows), unless that reaches back into a collection year already complete.
    year_began = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    awaited_from = max(today - dt.timedelta(days=SDQ_AWAITED_DAYS), year_began)
    scored = 0
    for index, assessment in enumerate(assessments):
        if assessment.assessed_on >= awaited_from:
            continue
        scored += 1
        assessment.sdq_score, assessment.sdq_reason = _sdq(index, births.get(assessment.child_id),
                                                           assessment.assessed_on)
        if assessment.immunisations_up_to_date is None:
            # Checked at the same assessment: most looked-after children are up to date (DfE, 2024).
            assessment.immunisations_up_to_date = index % 8 != 5
    HealthAssessment.objects.bulk_update(assessments, ["sdq_score", "sdq_reason", "immunisations_up_to_date"],
                                         batch_size=500)

    # Some of the children of 10 and over in care now: a substance misuse problem found this year
    # (help offered; taken up by every other one) and, for fewer, a reprimand.
    in_care = list(dict.fromkeys(PeriodLookedAfter.objects.filter(end__isnull=True)
                                 .order_by(*by_child("child__"), "child_id").values_list("child_id", flat=True)))
    recorder = User.objects.filter(role=Role.SOCIAL_WORKER).order_by("username").first()
    events = []
    for index, child_id in enumerate(in_care):
        born = births.get(child_id)
        if recorder is None or born is None or age_on(born, today) < 10:
            continue
        if index % 6 == 1:
            events.append(OutcomeEvent(child_id=child_id, kind=OutcomeEvent.Kind.SUBSTANCE_MISUSE,
                                       happened_on=today - dt.timedelta(days=40 + index % 90),
                                       intervention_offered=True, intervention_received=index % 12 == 1,
                                       recorded_by=recorder))
        if index % 9 == 2:
            events.append(OutcomeEvent(child_id=child_id, kind=OutcomeEvent.Kind.REPRIMAND,
                                       happened_on=today - dt.timedelta(days=70 + index % 120), recorded_by=recorder))
    OutcomeEvent.objects.bulk_create(events)
    return scored, len(events)


def _previous_permanence() -> int:
    births = dict(Child.unscoped.values_list("id", "date_of_birth"))
    came_into_care = dict(PeriodLookedAfter.objects.values("child_id").annotate(first=Min("start"))
                          .values_list("child_id", "first"))
    in_order = Child.unscoped.filter(id__in=list(came_into_care)).order_by(*by_child(), "id").values_list("id", flat=True)
    recorded = set(PreviousPermanence.objects.values_list("child_id", flat=True))
    rows = []
    for index, (child_id, start) in enumerate((child_id, came_into_care[child_id]) for child_id in in_order):
        if child_id in recorded:
            continue
        born = births.get(child_id)
        made_on = start - dt.timedelta(days=400)
        if index % 10 == 3 and born is not None and born < made_on:
            # A special guardianship or child arrangements order that broke down.
            rows.append(PreviousPermanence(child_id=child_id, order="P2" if index % 20 == 3 else "P3",
                                           local_authority=ORDER_COUNCILS[index % len(ORDER_COUNCILS)],
                                           made_on=made_on))
        else:
            rows.append(PreviousPermanence(child_id=child_id, order=PreviousPermanence.Order.NONE))
    PreviousPermanence.objects.bulk_create(rows)
    return len(rows)


def seed_return_facts(*, today: dt.date) -> dict[str, Any]:
    """Add the facts to the demo council already written; the counts, for the command's summary."""
    assessments, events = _health_and_outcomes(today)
    return {
        "Social Work England numbers": _social_work_england_numbers(),
        "social worker changes with a reason": _change_reasons(),
        "health assessments with an SDQ": assessments,
        "substance misuse and offending events": events,
        "previous permanence records": _previous_permanence(),
    }
