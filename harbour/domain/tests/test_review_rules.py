"""Table-driven tests of the review rules: participation against age, the occurrence a review
discharges (and whether it was late), the IRO caseload band and escalation."""

from __future__ import annotations

import pytest

from harbour.domain.deadlines import CaseTimeline, Duty
from harbour.domain.review_rules import (
    CaseloadBand,
    caseload_band,
    escalation_error,
    is_late,
    participation_error,
    review_occurrence,
)
from harbour.domain.tests.support import ENGLAND, d
from harbour.domain.types import Period

PARTICIPATION = [
    # code, date of birth, held on, refused?
    ("PN0", "2023-06-01", "2026-05-31", False, "pn0-day-before-4th-birthday"),
    ("PN0", "2022-06-01", "2026-06-01", True, "pn0-on-4th-birthday-refused"),
    ("PN1", "2022-06-01", "2026-06-01", False, "pn1-on-4th-birthday"),
    ("PN1", "2023-06-01", "2026-05-31", True, "pn1-for-a-3-year-old-refused"),
    ("PN0", "2016-02-10", "2026-11-20", True, "pn0-for-a-10-year-old-refused"),
    ("PN7", "2016-02-10", "2026-11-20", False, "pn7-for-a-10-year-old"),
    # born on 29 February: the 4th birthday is 28 February in a common year
    ("PN0", "2020-02-29", "2024-02-28", False, "leap-day-birth-day-before-4"),
    ("PN0", "2020-02-29", "2024-02-29", True, "leap-day-birth-4th-birthday"),
    ("PN0", None, "2026-11-20", True, "pn0-without-date-of-birth-refused"),
    ("PN3", None, "2026-11-20", False, "other-codes-without-date-of-birth"),
]


@pytest.mark.parametrize(("code", "dob", "held", "refused"), [row[:4] for row in PARTICIPATION],
                         ids=[row[4] for row in PARTICIPATION])
def test_participation(code: str, dob: str | None, held: str, refused: bool) -> None:
    error = participation_error(code, d(dob) if dob else None, d(held))
    assert (error is not None) == refused


def test_pn0_for_a_10_year_old_says_why() -> None:
    assert participation_error("PN0", d("2016-02-10"), d("2026-11-20")) == (
        "PN0 is only for a child under 4: the child was 10 at the review. Select PN1 to PN7")


OCCURRENCES = [
    # looked after from, reviews already held, held on, duty, due, late?
    # 20 working days from Friday 20 March 2026 across Easter (3 and 6 April): 21 April
    ("2026-03-20", (), "2026-04-21", Duty.FIRST_REVIEW, "2026-04-21", False, "first-across-easter-on-the-day"),
    ("2026-03-20", (), "2026-04-22", Duty.FIRST_REVIEW, "2026-04-21", True, "first-across-easter-a-day-late"),
    # second due 3 months after the first: 23 May 2026, the Saturday of the late May bank holiday weekend
    ("2026-01-05", ("2026-02-23",), "2026-05-22", Duty.SECOND_REVIEW, "2026-05-23", False,
     "second-due-on-bank-holiday-weekend-held-friday"),
    ("2026-01-05", ("2026-02-23",), "2026-05-26", Duty.SECOND_REVIEW, "2026-05-23", True,
     "second-due-on-bank-holiday-weekend-held-tuesday-is-late"),
    # third and later every 6 months; 31 August to the last day of February
    ("2025-06-02", ("2025-06-20", "2025-08-31"), "2026-02-28", Duty.REVIEW, "2026-02-28", False,
     "six-months-from-31-august-ends-28-february"),
]


@pytest.mark.parametrize(("start", "held_before", "held", "duty", "due", "late"), [row[:6] for row in OCCURRENCES],
                         ids=[row[6] for row in OCCURRENCES])
def test_review_occurrence(start: str, held_before: tuple[str, ...], held: str, duty: Duty, due: str,
                           late: bool) -> None:
    timeline = CaseTimeline(date_of_birth=d("2012-01-01"), periods_looked_after=(Period(d(start), None),),
                            reviews=tuple(d(h) for h in held_before))
    occurrence = review_occurrence(timeline, d(held), today=d("2026-11-20"), calendar=ENGLAND)
    assert occurrence is not None
    assert (occurrence.duty, occurrence.due, is_late(occurrence)) == (duty, d(due), late)


def test_a_review_outside_every_period_has_no_occurrence() -> None:
    timeline = CaseTimeline(periods_looked_after=(Period(d("2026-03-20"), d("2026-06-30")),))
    assert review_occurrence(timeline, d("2026-07-01"), today=d("2026-11-20"), calendar=ENGLAND) is None
    assert review_occurrence(timeline, d("2026-03-19"), today=d("2026-11-20"), calendar=ENGLAND) is None


@pytest.mark.parametrize(("children", "band"), [
    (0, CaseloadBand.BELOW), (49, CaseloadBand.BELOW), (50, CaseloadBand.WITHIN), (70, CaseloadBand.WITHIN),
    (71, CaseloadBand.ABOVE),
], ids=["none", "49-below", "50-within", "70-within", "71-above"])
def test_caseload_band(children: int, band: CaseloadBand) -> None:
    assert caseload_band(children) == band


ESCALATION = [
    # stage, due, answered, today, allowed
    (0, "2026-11-20", False, "2026-11-20", False, "not-overdue-on-the-due-day"),
    (0, "2026-11-20", False, "2026-11-21", True, "overdue-the-day-after"),
    (0, "2026-11-20", True, "2026-12-01", False, "answered-cannot-escalate"),
    (4, "2026-11-20", False, "2026-12-01", True, "stage-4-to-5"),
    (5, "2026-11-20", False, "2026-12-01", False, "last-stage"),
]


@pytest.mark.parametrize(("stage", "due", "answered", "today", "allowed"), [row[:5] for row in ESCALATION],
                         ids=[row[5] for row in ESCALATION])
def test_escalation(stage: int, due: str, answered: bool, today: str, allowed: bool) -> None:
    assert (escalation_error(stage=stage, due_on=d(due), answered=answered, today=d(today)) is None) == allowed

