"""Care-leaver status, the personal adviser's contact clock, the pathway-plan clock and the OC3
birthdays (reference.md 3.1, 3.2, 3.4, 4.8). Each row names its case."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.leaving_care import (
    ClockState,
    care_leaver_status,
    oc3_birthdays,
    pa_contact_clock,
    pathway_review_clock,
)
from harbour.domain.tests.support import d
from harbour.domain.timescales import LeavingCareStatus as S
from harbour.domain.types import Period

# 16 on 10 March 2026, 18 on 10 March 2028, 21 on 10 March 2031, 25 on 10 March 2035.
BORN = d("2010-03-10")


def p(start: str, end: str | None = None) -> Period:
    return Period(d(start), None if end is None else d(end))


STATUS = [
    # (date of birth, periods, today, support to 25, expected, case)
    (BORN, [p("2025-06-01")], "2026-01-10", False, None, "fifteen-and-looked-after-is-no-care-leaver"),
    (BORN, [p("2025-06-01")], "2026-03-10", False, S.ELIGIBLE, "eligible-on-the-16th-birthday"),
    (BORN, [p("2026-04-01")], "2026-05-01", False, None, "looked-after-at-16-under-13-weeks-is-not-yet-eligible"),
    (BORN, [p("2025-06-01", "2027-01-31")], "2027-02-01", False, S.RELEVANT, "left-care-at-16-after-13-weeks-relevant"),
    (BORN, [p("2025-06-01", "2028-03-09")], "2028-03-10", False, S.FORMER_RELEVANT, "an-18th-birthday-makes-former-relevant"),
    (BORN, [p("2025-06-01", "2028-03-09")], "2031-03-09", False, S.FORMER_RELEVANT, "former-relevant-the-day-before-21"),
    (BORN, [p("2025-06-01", "2028-03-09")], "2031-03-10", False, None, "former-relevant-ends-at-21"),
    (BORN, [p("2025-06-01", "2028-03-09")], "2031-03-10", True, S.FORMER_RELEVANT, "support-to-25-on-request-at-21"),
    (BORN, [p("2025-06-01", "2028-03-09")], "2035-03-10", True, None, "support-to-25-ends-on-the-25th-birthday"),
    # 17 years and 40 weeks: arrives 10 March 2027 + 280 days = 14 December 2027, 12 weeks and 2 days before 18.
    (BORN, [p("2027-12-14", "2028-03-09")], "2028-03-10", False, S.QUALIFYING, "arrives-at-17-years-40-weeks-qualifying-not-former-relevant"),
    (BORN, [p("2027-12-14")], "2028-01-10", False, None, "arrives-at-17-years-40-weeks-still-looked-after-not-eligible"),
    (BORN, [p("2027-12-14", "2028-03-09")], "2031-03-10", False, None, "qualifying-ends-at-21"),
    (BORN, [p("2026-09-01", "2026-09-20")], "2027-01-01", False, S.QUALIFYING, "short-care-after-16-qualifying"),
    # Born 29 Feb 2012: 18 on 1 Mar 2030 (Family Law Reform Act 1969 s9; 1 March in a common year).
    (d("2012-02-29"), [p("2027-01-01", "2030-02-28")], "2030-02-28", False, S.ELIGIBLE, "leap-born-still-17-on-28-february"),
    (d("2012-02-29"), [p("2027-01-01", "2030-02-28")], "2030-03-01", False, S.FORMER_RELEVANT, "leap-born-18-on-1-march"),
]


@pytest.mark.parametrize(("born", "periods", "today", "to_25", "expected"), [row[:5] for row in STATUS],
                         ids=[row[5] for row in STATUS])
def test_care_leaver_status(born: date, periods: list[Period], today: str, to_25: bool, expected: S | None) -> None:
    assert care_leaver_status(born, periods, d(today), support_to_25=to_25) == expected


CONTACT = [
    # (last contact, counted from, today, due, state, case)
    (None, "2026-05-01", "2026-05-05", "2026-05-08", ClockState.DUE, "first-contact-within-7-days-of-allocation"),
    (None, "2026-05-01", "2026-05-09", "2026-05-08", ClockState.OVERDUE, "no-first-contact-after-7-days-overdue"),
    # A Friday start: calendar days, so the 7 days run over the weekend to the next Friday.
    (None, "2026-12-04", "2026-12-04", "2026-12-11", ClockState.DUE, "clock-starting-on-a-friday-runs-over-the-weekend"),
    ("2026-03-15", "2026-01-01", "2026-05-15", "2026-05-15", ClockState.DUE, "contact-due-on-the-2-month-day-is-not-late"),
    ("2026-03-15", "2026-01-01", "2026-05-16", "2026-05-15", ClockState.OVERDUE, "the-day-after-2-months-is-overdue"),
    ("2025-12-31", "2025-01-01", "2026-01-05", "2026-02-28", ClockState.DUE, "31-december-plus-2-months-is-28-february"),
    ("2027-12-31", "2027-01-01", "2028-01-05", "2028-02-29", ClockState.DUE, "leap-year-29-february"),
    # Bank holidays do not move calendar-month clocks: 25 December is still the due day.
    ("2026-10-25", "2026-01-01", "2026-12-25", "2026-12-25", ClockState.DUE, "due-on-christmas-day-stays-there"),
]


@pytest.mark.parametrize(("last", "counted_from", "today", "due", "state"), [row[:5] for row in CONTACT],
                         ids=[row[5] for row in CONTACT])
def test_pa_contact_clock(last: str | None, counted_from: str, today: str, due: str, state: ClockState) -> None:
    clock = pa_contact_clock(last_contact=None if last is None else d(last), counted_from=d(counted_from), today=d(today))
    assert (clock.due, clock.state) == (d(due), state)
    assert "SI 2010/2571 reg 8" in clock.basis


PATHWAY = [
    # (last plan or review, needs assessment due, today, due or None, state, case)
    ("2026-01-31", None, "2026-07-31", "2026-07-31", ClockState.DUE, "review-due-6-months-to-the-day"),
    ("2026-08-31", None, "2027-03-01", "2027-02-28", ClockState.OVERDUE, "31-august-plus-6-months-is-28-february"),
    ("2027-08-31", None, "2028-02-29", "2028-02-29", ClockState.DUE, "leap-year-29-february"),
    (None, "2026-06-10", "2026-05-01", "2026-06-10", ClockState.DUE, "first-plan-due-with-the-needs-assessment"),
    (None, "2026-06-10", "2026-06-11", "2026-06-10", ClockState.OVERDUE, "no-first-plan-after-the-needs-assessment-due"),
    (None, None, "2026-06-11", None, None, "no-plan-and-not-eligible-has-no-clock"),
]


@pytest.mark.parametrize(("last", "needs_due", "today", "due", "state"), [row[:5] for row in PATHWAY],
                         ids=[row[5] for row in PATHWAY])
def test_pathway_review_clock(last: str | None, needs_due: str | None, today: str, due: str | None,
                              state: ClockState | None) -> None:
    clock = pathway_review_clock(last_plan_or_review=None if last is None else d(last),
                                 needs_assessment_due=None if needs_due is None else d(needs_due), today=d(today))
    if due is None:
        assert clock is None
    else:
        assert clock is not None and (clock.due, clock.state) == (d(due), state)


OC3 = [
    (BORN, [(17, "2027-03-10"), (18, "2028-03-10"), (19, "2029-03-10"), (20, "2030-03-10"), (21, "2031-03-10")],
     "ordinary-birthdays-17-to-21"),
    (d("2012-02-29"), [(17, "2029-03-01"), (18, "2030-03-01"), (19, "2031-03-01"), (20, "2032-02-29"), (21, "2033-03-01")],
     "leap-born-birthdays-on-1-march-except-in-a-leap-year"),
]


@pytest.mark.parametrize(("born", "expected"), [row[:2] for row in OC3], ids=[row[2] for row in OC3])
def test_oc3_birthdays(born: date, expected: list[tuple[int, str]]) -> None:
    assert oc3_birthdays(born) == [(age, d(day)) for age, day in expected]


OC3_CONTACT = [
    # (birthday, contacts, expected, case)
    ("2028-03-10", ["2028-03-01", "2028-03-15"], "2028-03-15", "nearest-contact-after-the-birthday"),
    ("2028-03-10", ["2028-03-05", "2028-03-15"], "2028-03-05", "a-tie-takes-the-earlier"),
    ("2028-03-10", ["2028-01-09", "2028-05-10"], None, "both-outside-60-days"),
    ("2028-03-10", ["2028-01-10"], "2028-01-10", "exactly-60-days-before-over-29-february"),
    ("2028-03-10", [], None, "no-contacts"),
]


@pytest.mark.parametrize(("born_day", "contacts", "expected"), [r[:3] for r in OC3_CONTACT],
                         ids=[r[3] for r in OC3_CONTACT])
def test_oc3_contact_for(born_day: str, contacts: list[str], expected: str | None) -> None:
    from harbour.domain.leaving_care import oc3_contact_for

    found = oc3_contact_for(d(born_day), [d(c) for c in contacts])
    assert found == (None if expected is None else d(expected))
