"""The statement of evidence form's due date and the asylum alerts (reference.md 5.2, 5.4)."""

from __future__ import annotations

from datetime import date

import pytest

from harbour.domain.asylum import AsylumAlert as A
from harbour.domain.asylum import AsylumFacts, asylum_alerts, sef_due
from harbour.domain.tests.support import ENGLAND, d

SEF = [
    # (claimed on, working days, due, case)
    ("2026-03-02", 60, "2026-05-29", "sixty-working-days-over-easter-and-two-may-bank-holidays"),
    ("2026-12-04", 10, "2026-12-18", "a-friday-claim-counts-from-the-monday"),
    ("2026-12-18", 10, "2027-01-06", "christmas-boxing-day-moved-to-monday-and-new-year-skipped"),
    ("2028-02-28", 1, "2028-02-29", "leap-day-is-a-working-day"),
]


@pytest.mark.parametrize(("claimed", "days", "due"), [row[:3] for row in SEF], ids=[row[3] for row in SEF])
def test_sef_due(claimed: str, days: int, due: str) -> None:
    assert sef_due(d(claimed), ENGLAND, days) == d(due)


def test_sef_due_refuses_a_period_of_no_days() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        sef_due(d("2026-03-02"), ENGLAND, 0)


BORN = d("2009-06-15")  # 18 on 15 June 2027
ALERTS = [
    # (facts, today, expected kinds, case)
    (AsylumFacts(d("2026-01-05"), sef_due=d("2026-04-01")), "2026-03-01", [], "sef-due-in-a-month-no-alert-yet"),
    (AsylumFacts(d("2026-01-05"), sef_due=d("2026-04-01")), "2026-03-22", [A.SEF_NOT_SENT], "sef-due-within-10-days"),
    (AsylumFacts(d("2026-01-05"), sef_due=d("2026-04-01")), "2026-04-02", [A.SEF_NOT_SENT], "sef-overdue"),
    (AsylumFacts(d("2026-01-05"), sef_due=d("2026-04-01"), sef_sent_on=d("2026-03-30")), "2026-04-02", [], "sef-sent"),
    (AsylumFacts(d("2025-01-05"), decided_on=d("2025-06-01"), leave_expires_on=d("2026-09-30")), "2026-06-30",
     [A.LEAVE_EXPIRING], "leave-expires-in-exactly-3-months"),
    (AsylumFacts(d("2025-01-05"), decided_on=d("2025-06-01"), leave_expires_on=d("2026-10-01")), "2026-06-30",
     [], "leave-expires-in-3-months-and-a-day"),
    (AsylumFacts(d("2025-01-05"), decided_on=d("2025-06-01"), leave_expires_on=d("2026-06-29")), "2026-06-30",
     [], "leave-already-expired-is-not-expiring"),
    (AsylumFacts(d("2026-01-05"), sef_sent_on=d("2026-02-01")), "2026-12-15", [A.NO_DECISION_NEAR_18],
     "no-decision-six-months-before-the-18th-birthday"),
    (AsylumFacts(d("2026-01-05"), sef_sent_on=d("2026-02-01")), "2026-12-14", [], "no-decision-but-18-is-further-off"),
    (AsylumFacts(d("2026-01-05"), sef_sent_on=d("2026-02-01")), "2027-06-15", [], "already-18-no-longer-approaching"),
    (AsylumFacts(d("2026-01-05"), sef_sent_on=d("2026-02-01"), decided_on=d("2026-11-01")), "2027-01-01", [],
     "decided-before-18"),
]


@pytest.mark.parametrize(("facts", "today", "kinds"), [row[:3] for row in ALERTS], ids=[row[3] for row in ALERTS])
def test_asylum_alerts(facts: AsylumFacts, today: str, kinds: list[A]) -> None:
    assert [a.kind for a in asylum_alerts(facts, date_of_birth=BORN, today=d(today))] == kinds


def test_alerts_without_a_date_of_birth_skip_the_18th_birthday() -> None:
    facts = AsylumFacts(d("2026-01-05"))
    assert asylum_alerts(facts, date_of_birth=None, today=date(2026, 12, 20)) == []
