"""Retention review dates for children's records, by record class.

The review date is the first day on which the law no longer requires the record to be kept. It is
never a deletion date: destruction is a reviewed, approved act (see harbour.retention).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from harbour.domain.ages import anniversary, birthday


class RecordClass(enum.StrEnum):
    LOOKED_AFTER = "looked_after"
    ADOPTION = "adoption"
    CHILD_IN_NEED = "child_in_need"


RECORD_CLASS_LABELS: dict[RecordClass, str] = {
    RecordClass.LOOKED_AFTER: "Looked-after child's case record",
    RecordClass.ADOPTION: "Adoption case record",
    RecordClass.CHILD_IN_NEED: "Other children's record (local schedule)",
}

CARE_RECORD_AGE = 75
DEATH_BEFORE_ADULTHOOD_YEARS = 15
ADULTHOOD = 18
ADOPTION_YEARS = 100


@dataclass(frozen=True)
class RecordFacts:
    """What the rule needs to know about one child's record."""

    date_of_birth: date | None
    date_of_death: date | None
    was_looked_after: bool
    adoption_order_date: date | None


def record_class(facts: RecordFacts) -> RecordClass:
    """The class whose rule keeps the record longest: an adoption order outranks a care record
    (100 years from the order is always later than the 75th birthday of a child adopted as a child),
    and a care record outranks the local schedule for other children's records."""
    if facts.adoption_order_date is not None:
        return RecordClass.ADOPTION
    if facts.was_looked_after:
        return RecordClass.LOOKED_AFTER
    return RecordClass.CHILD_IN_NEED


def retention_review_date(facts: RecordFacts, *, local_retention_age: int) -> date | None:
    """The first day the record need no longer be kept, or None when it cannot be known yet.

    - Looked-after child's case record: kept "until the 75th anniversary of the date of birth of
      the child ... or, if the child dies before attaining the age of 18, for a period of 15 years
      beginning with the date of death" (Care Planning, Placement and Case Review (England)
      Regulations 2010, SI 2010/959, reg 50; the Arrangements for Placement of Children (General)
      Regulations 1991, SI 1991/890, reg 9(1), said the same before April 2011). A period of 15 years
      beginning with the date of death ends the day before its 15th anniversary, so the review date
      is that anniversary. "Attaining 18" and a 29 February birth follow harbour.domain.ages.birthday
      (Family Law Reform Act 1969 s9; 1 March in a non-leap year).
    - Adoption case record: kept "for at least 100 years from the date of the adoption order"
      (Adoption Agencies Regulations 2005, SI 2005/389, reg 21(1)).
    - Other children's records (child in need, early help): no statute; the council's own retention
      schedule sets an age (`local_retention_age`), counted from the date of birth.

    Without a date of birth (or an adoption order date) there is no date to count from, so the
    record is kept: None, never "due".
    """
    klass = record_class(facts)
    if klass is RecordClass.ADOPTION:
        assert facts.adoption_order_date is not None
        return anniversary(facts.adoption_order_date, ADOPTION_YEARS)
    if facts.date_of_birth is None:
        return None
    if klass is RecordClass.LOOKED_AFTER:
        died = facts.date_of_death
        if died is not None and died < birthday(facts.date_of_birth, ADULTHOOD):
            return anniversary(died, DEATH_BEFORE_ADULTHOOD_YEARS)
        return birthday(facts.date_of_birth, CARE_RECORD_AGE)
    return birthday(facts.date_of_birth, local_retention_age)


def is_due(review_date: date | None, today: date) -> bool:
    """Whether the record has reached its retention review date (so destruction may be proposed)."""
    return review_date is not None and review_date <= today
