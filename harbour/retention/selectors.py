"""Which records have reached their retention review date. A fixed number of queries however many
children there are: one for the candidates (with the facts the rule needs, annotated), one for holds
and one for proposals."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from harbour.children.models import Child, PeriodLookedAfter
from harbour.domain.ages import anniversary
from harbour.domain.retention import (
    ADOPTION_YEARS,
    CARE_RECORD_AGE,
    DEATH_BEFORE_ADULTHOOD_YEARS,
    RECORD_CLASS_LABELS,
    RecordClass,
    RecordFacts,
    is_due,
    record_class,
    retention_review_date,
)

from .models import DestructionProposal, LegalHold

# SSDA903 reasons an episode ended because an adoption order was made; the episode ends on the order's date.
ADOPTION_REASONS = ("E11", "E12")


def local_retention_age() -> int:
    """The age to which the council keeps records of children who were never looked after (its own
    retention schedule; no statute sets it)."""
    return int(getattr(settings, "HARBOUR_RETENTION_OTHER_RECORDS_AGE", 25))


@dataclass(frozen=True)
class DueRecord:
    child_id: uuid.UUID
    record_class: RecordClass
    review_date: dt.date
    holds: list[LegalHold]
    proposal: DestructionProposal | None

    @property
    def record_class_label(self) -> str:
        return RECORD_CLASS_LABELS[self.record_class]

    @property
    def on_hold(self) -> bool:
        return bool(self.holds)


def _with_facts(children: QuerySet[Child]) -> QuerySet[Child]:
    # Subqueries, not joins: a join here would let the candidate filter narrow the periods counted.
    periods = PeriodLookedAfter.objects.filter(child=OuterRef("pk"))
    return children.annotate(
        was_looked_after=Exists(periods),
        adoption_order_date=Subquery(
            periods.filter(reason_ceased__in=ADOPTION_REASONS).order_by("-end").values("end")[:1]
        ),
    )


def facts_of(child: Child) -> RecordFacts:
    return RecordFacts(
        date_of_birth=child.date_of_birth, date_of_death=child.date_of_death,
        was_looked_after=bool(getattr(child, "was_looked_after", False)),
        adoption_order_date=getattr(child, "adoption_order_date", None),
    )


def record_facts(child_id: uuid.UUID) -> tuple[RecordFacts, RecordClass, dt.date | None] | None:
    """The facts, class and review date of one child's record, or None if there is no such child."""
    child = _with_facts(Child.unscoped.filter(pk=child_id)).first()
    if child is None:
        return None
    facts = facts_of(child)
    return facts, record_class(facts), retention_review_date(facts, local_retention_age=local_retention_age())


def due_records(today: dt.date) -> list[DueRecord]:
    """Every record whose retention review date has come, oldest first. The database narrows the
    candidates with bounds no later than any class's date; the domain rule decides exactly."""
    earliest_age = min(CARE_RECORD_AGE, local_retention_age())
    candidates = _with_facts(Child.unscoped.filter(
        Q(date_of_birth__lte=anniversary(today, -earliest_age))
        | Q(date_of_death__lte=anniversary(today, -DEATH_BEFORE_ADULTHOOD_YEARS))
        | Q(id__in=PeriodLookedAfter.objects.filter(
            reason_ceased__in=ADOPTION_REASONS, end__lte=anniversary(today, -ADOPTION_YEARS)).values("child_id"))
    )).only("id", "date_of_birth", "date_of_death")
    age = local_retention_age()
    found: list[tuple[uuid.UUID, RecordClass, dt.date]] = []
    for child in candidates:
        facts = facts_of(child)
        review = retention_review_date(facts, local_retention_age=age)
        if review is not None and is_due(review, today):
            found.append((child.pk, record_class(facts), review))
    ids = [child_id for child_id, _, _ in found]
    holds: dict[uuid.UUID, list[LegalHold]] = {}
    for hold in LegalHold.objects.filter(child_id__in=ids, released_at__isnull=True).select_related("placed_by"):
        holds.setdefault(hold.child_id, []).append(hold)
    proposals = {
        p.child_id: p for p in DestructionProposal.objects.filter(child_id__in=ids, approved_at__isnull=True)
        .select_related("proposed_by")
    }
    return sorted(
        (DueRecord(child_id=i, record_class=k, review_date=r, holds=holds.get(i, []), proposal=proposals.get(i))
         for i, k, r in found),
        key=lambda record: (record.review_date, str(record.child_id)),
    )
